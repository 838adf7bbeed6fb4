package org.storeedge.simulator.camera;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.storeedge.config.ShelfFronts;
import org.storeedge.config.StoreConfig;

/**
 * The static store as the cameras draw it, derived from the store config: one shelf segment (a
 * box) per lane, centred on the lane position, as wide as the lane pitch, {@link #SHELF_DEPTH}
 * deep and {@link #SHELF_HEIGHT} tall, its front where {@link ShelfFronts} puts it (the side the
 * shoppers stand on); the room is the bounding box of
 * lanes and gates plus {@link #MARGIN}. Immutable.
 */
public final class StoreLayout {
  public static final double SHELF_DEPTH = 0.45;
  public static final double SHELF_HEIGHT = 1.6;
  public static final double MARGIN = 0.9;
  public static final double CEILING = 3.4;

  /**
   * One lane's shelf segment: centre on the floor, unit vector along the shelf ({@code ax, ay}),
   * unit vector out of its front ({@code nx, ny}), half-length along the shelf.
   */
  public record Segment(String laneId, String sku, double cx, double cy, double ax, double ay, double nx, double ny,
      double halfLength) {
    /** Whether floor point (x, y) lies within {@code pad} metres of the segment's footprint. */
    public boolean covers(double x, double y, double pad) {
      double dx = x - cx, dy = y - cy;
      double along = Math.abs(dx * ax + dy * ay);
      double across = Math.abs(dx * nx + dy * ny);
      return along <= halfLength + pad && across <= SHELF_DEPTH / 2 + pad;
    }
  }

  private final List<Segment> segments;
  private final List<StoreConfig.Gate> gates;
  private final double minX, minY, maxX, maxY;

  public StoreLayout(StoreConfig config) {
    double x0 = Double.POSITIVE_INFINITY, y0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
    List<StoreConfig.Position> points = new ArrayList<>();
    config.lanes().forEach(l -> points.add(l.position()));
    config.gates().forEach(g -> points.add(g.position()));
    for (StoreConfig.Position p : points) {
      x0 = Math.min(x0, p.x());
      y0 = Math.min(y0, p.y());
      x1 = Math.max(x1, p.x());
      y1 = Math.max(y1, p.y());
    }
    if (points.isEmpty()) {
      x0 = y0 = 0;
      x1 = y1 = 4;
    }
    this.minX = x0 - MARGIN;
    this.minY = y0 - MARGIN;
    this.maxX = x1 + MARGIN;
    this.maxY = y1 + MARGIN;
    this.gates = List.copyOf(config.gates());
    List<Segment> segs = new ArrayList<>();
    Map<String, ShelfFronts.Front> fronts = ShelfFronts.of(config);
    for (StoreConfig.Shelf shelf : config.shelves()) {
      List<StoreConfig.Lane> lanes = shelf.lanes();
      for (int i = 0; i < lanes.size(); i++) {
        StoreConfig.Lane l = lanes.get(i);
        ShelfFronts.Front f = fronts.get(l.id());
        double nx = f.outX();
        double ny = f.outY();
        double pitch = Double.POSITIVE_INFINITY;
        if (i > 0) {
          pitch = Math.min(pitch, l.position().distanceTo(lanes.get(i - 1).position()));
        }
        if (i + 1 < lanes.size()) {
          pitch = Math.min(pitch, l.position().distanceTo(lanes.get(i + 1).position()));
        }
        double half = Double.isInfinite(pitch) ? 0.3 : Math.max(0.15, Math.min(0.6, pitch / 2));
        // along the shelf: perpendicular to the facing, +90 degrees
        segs.add(new Segment(l.id(), l.sku(), l.position().x(), l.position().y(), -ny, nx, nx, ny, half));
      }
    }
    this.segments = List.copyOf(segs);
  }

  public List<Segment> segments() {
    return segments;
  }

  public List<StoreConfig.Gate> gates() {
    return gates;
  }

  public double minX() {
    return minX;
  }

  public double minY() {
    return minY;
  }

  public double maxX() {
    return maxX;
  }

  public double maxY() {
    return maxY;
  }

  /** Whether a shopper could stand at (x, y): inside the room, at least {@code pad} from any shelf. */
  public boolean walkable(double x, double y, double pad) {
    if (x < minX + pad || x > maxX - pad || y < minY + pad || y > maxY - pad) {
      return false;
    }
    for (Segment s : segments) {
      if (s.covers(x, y, pad)) {
        return false;
      }
    }
    return true;
  }
}
