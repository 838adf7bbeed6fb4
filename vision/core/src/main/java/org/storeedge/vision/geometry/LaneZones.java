package org.storeedge.vision.geometry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.storeedge.config.StoreConfig;

/**
 * Builds one {@link Zone} per lane of a store: a rectangle in front of the lane's floor position.
 *
 * <p>The store config gives lane centres but not which way a shelf faces. Unless
 * {@code facingByShelf} names it (radians, counter-clockwise from +x), a shelf is taken to face
 * the centre of all lanes of the store, perpendicular to the line its lanes lie on (for a
 * single-lane shelf: straight towards that centre).
 *
 * @param widthMetres zone extent along the shelf front, &gt; 0 (about one lane pitch)
 * @param depthMetres zone extent into the aisle, &gt; 0 (where a shopper stands to reach)
 */
public record LaneZones(double widthMetres, double depthMetres, Map<String, Double> facingByShelf) {

  public static final double DEFAULT_WIDTH_METRES = 0.6;
  public static final double DEFAULT_DEPTH_METRES = 0.9;

  public LaneZones {
    if (!(widthMetres > 0) || !(depthMetres > 0)) {
      throw new IllegalArgumentException("lane zone width and depth must be > 0 (got: " + widthMetres + ", " + depthMetres + ")");
    }
    facingByShelf = Map.copyOf(facingByShelf);
  }

  public static LaneZones defaults() {
    return new LaneZones(DEFAULT_WIDTH_METRES, DEFAULT_DEPTH_METRES, Map.of());
  }

  /** Zones with ids equal to the lane ids, in config order. */
  public List<Zone> build(StoreConfig config) {
    List<StoreConfig.Lane> all = config.lanes();
    double cx = 0, cy = 0;
    for (StoreConfig.Lane l : all) {
      cx += l.position().x();
      cy += l.position().y();
    }
    if (!all.isEmpty()) {
      cx /= all.size();
      cy /= all.size();
    }
    List<Zone> zones = new ArrayList<>();
    for (StoreConfig.Shelf shelf : config.shelves()) {
      double facing = facingByShelf.containsKey(shelf.id())
          ? facingByShelf.get(shelf.id())
          : inferFacing(shelf, cx, cy);
      for (StoreConfig.Lane lane : shelf.lanes()) {
        Point2 p = new Point2(lane.position().x(), lane.position().y());
        zones.add(Zone.inFrontOf(lane.id(), p, facing, widthMetres, depthMetres));
      }
    }
    return zones;
  }

  static double inferFacing(StoreConfig.Shelf shelf, double cx, double cy) {
    List<StoreConfig.Lane> lanes = shelf.lanes();
    double sx = 0, sy = 0;
    for (StoreConfig.Lane l : lanes) {
      sx += l.position().x();
      sy += l.position().y();
    }
    sx /= lanes.size();
    sy /= lanes.size();
    double tx = cx - sx, ty = cy - sy; // towards the store centre
    StoreConfig.Position first = lanes.get(0).position(), last = lanes.get(lanes.size() - 1).position();
    double ax = last.x() - first.x(), ay = last.y() - first.y();
    double len = Math.hypot(ax, ay);
    if (len > 1e-9) {
      double nx = -ay / len, ny = ax / len; // perpendicular to the shelf line
      double dot = nx * tx + ny * ty;
      if (dot < 0 || (dot == 0 && ny < 0)) {
        nx = -nx;
        ny = -ny;
      }
      return Math.atan2(ny, nx);
    }
    if (Math.hypot(tx, ty) < 1e-9) {
      return Math.PI / 2;
    }
    return Math.atan2(ty, tx);
  }
}
