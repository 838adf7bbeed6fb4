package org.storeedge.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which side of each lane shoppers stand on to take from it: per lane, a unit vector along its
 * shelf and a unit vector out of the shelf's front, on the store floor.
 *
 * <p>A shelf's {@code facing} in the store file decides. Without it the front is perpendicular to
 * the shelf's line of lanes, on the side towards the middle of the store (the mean of all lanes
 * and gates): right for shelves along the walls. A shelf whose front would then stand against
 * another shelf (a lane of another shelf less than {@link #CLEAR_METRES} out of its front,
 * alongside it) faces the other way when that side is clear: the two
 * faces of an island gondola, back to back, face away from each other. A one-lane shelf has no
 * line: its front faces the middle of the store.
 */
public final class ShelfFronts {
  /**
   * How far out of a shelf's front the floor must be clear of other shelves' lanes for shoppers to
   * stand there: the other face of a gondola is closer, the shelf across an aisle farther.
   */
  public static final double CLEAR_METRES = 0.9;

  /** Unit vectors {alongX, alongY, outX, outY} of one lane. */
  public record Front(double alongX, double alongY, double outX, double outY) {
    /** How far {@code (x, y)} lies in front of the lane at {@code lane} (negative: behind it). */
    public double ahead(StoreConfig.Position lane, double x, double y) {
      return (x - lane.x()) * outX + (y - lane.y()) * outY;
    }
  }

  private ShelfFronts() {}

  /** The middle of the store: the mean of all lane and gate positions (0, 0 for none). */
  public static StoreConfig.Position middle(StoreConfig config) {
    double cx = 0;
    double cy = 0;
    int n = 0;
    for (StoreConfig.Lane l : config.lanes()) {
      cx += l.position().x();
      cy += l.position().y();
      n++;
    }
    for (StoreConfig.Gate g : config.gates()) {
      cx += g.position().x();
      cy += g.position().y();
      n++;
    }
    return n == 0 ? new StoreConfig.Position(0, 0) : new StoreConfig.Position(cx / n, cy / n);
  }

  /** The front of every lane of {@code config}, by lane id. */
  public static Map<String, Front> of(StoreConfig config) {
    StoreConfig.Position middle = middle(config);
    double cx = middle.x();
    double cy = middle.y();
    Map<String, Front> out = new HashMap<>();
    for (StoreConfig.Shelf shelf : config.shelves()) {
      List<StoreConfig.Lane> lanes = shelf.lanes();
      if (lanes.isEmpty()) {
        continue;
      }
      Row row = Row.of(shelf);
      double ax = row.ax();
      double ay = row.ay();
      double len = row.len();
      double mx = row.mx();
      double my = row.my();
      for (StoreConfig.Lane l : lanes) {
        double nx;
        double ny;
        if (shelf.facingDegrees().isPresent()) {
          double a = Math.toRadians(shelf.facingDegrees().getAsDouble());
          nx = Math.cos(a);
          ny = Math.sin(a);
        } else if (len > 1e-6) {
          nx = -ay / len;
          ny = ax / len;
          if (nx * (cx - mx) + ny * (cy - my) < 0) {
            nx = -nx;
            ny = -ny;
          }
          if (row.blocked(config.shelves(), shelf, nx, ny) != null
              && row.blocked(config.shelves(), shelf, -nx, -ny) == null) {
            nx = -nx;
            ny = -ny;
          }
        } else {
          double dx = cx - l.position().x();
          double dy = cy - l.position().y();
          double d = Math.hypot(dx, dy);
          nx = d > 1e-6 ? dx / d : 0;
          ny = d > 1e-6 ? dy / d : 1;
        }
        // along the shelf: the row direction, or for a one-lane shelf perpendicular to the front
        double alx = len > 1e-6 ? ax / len : -ny;
        double aly = len > 1e-6 ? ay / len : nx;
        out.put(l.id(), new Front(alx, aly, nx, ny));
      }
    }
    return out;
  }

  /**
   * A shelf's row of lanes on the floor: its middle (mx, my), the vector from its first lane to its
   * last (ax, ay) and that vector's length.
   */
  private record Row(double mx, double my, double ax, double ay, double len) {
    static Row of(StoreConfig.Shelf shelf) {
      List<StoreConfig.Lane> lanes = shelf.lanes();
      StoreConfig.Position first = lanes.get(0).position();
      StoreConfig.Position last = lanes.get(lanes.size() - 1).position();
      return new Row(lanes.stream().mapToDouble(l -> l.position().x()).average().orElse(0),
          lanes.stream().mapToDouble(l -> l.position().y()).average().orElse(0), last.x() - first.x(),
          last.y() - first.y(), Math.hypot(last.x() - first.x(), last.y() - first.y()));
    }

    /**
     * The lane of another shelf that lies in front of this row facing (nx, ny): less than
     * {@link #CLEAR_METRES} out and alongside it; null when the front is clear. Needs a row of
     * some length.
     */
    StoreConfig.Lane blocked(List<StoreConfig.Shelf> shelves, StoreConfig.Shelf self, double nx, double ny) {
      double ux = ax / len;
      double uy = ay / len;
      double half = len / 2;
      for (StoreConfig.Shelf s : shelves) {
        if (s == self) {
          continue;
        }
        for (StoreConfig.Lane l : s.lanes()) {
          double dx = l.position().x() - mx;
          double dy = l.position().y() - my;
          double out = dx * nx + dy * ny;
          double along = Math.abs(dx * ux + dy * uy);
          if (out > 0.1 && out < CLEAR_METRES && along <= half + 0.3) {
            return l;
          }
        }
      }
      return null;
    }
  }

  /**
   * For a shelf whose {@code facing} the store file gives: a lane of another shelf standing right
   * in front of that face (less than {@link #CLEAR_METRES} out, alongside) while its back is clear
   * -- most likely the facing was given the wrong way round (the two faces of a gondola turned
   * towards each other). Empty when the face is clear, or both sides are blocked, or the shelf has
   * one lane (no row to face from).
   */
  public static java.util.Optional<StoreConfig.Lane> facingIntoAnotherShelf(List<StoreConfig.Shelf> shelves,
      StoreConfig.Shelf shelf) {
    if (shelf.facingDegrees().isEmpty() || shelf.lanes().size() < 2) {
      return java.util.Optional.empty();
    }
    Row row = Row.of(shelf);
    if (row.len() < 1e-6) {
      return java.util.Optional.empty();
    }
    double a = Math.toRadians(shelf.facingDegrees().getAsDouble());
    double nx = Math.cos(a);
    double ny = Math.sin(a);
    StoreConfig.Lane front = row.blocked(shelves, shelf, nx, ny);
    if (front == null || row.blocked(shelves, shelf, -nx, -ny) != null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(front);
  }
}
