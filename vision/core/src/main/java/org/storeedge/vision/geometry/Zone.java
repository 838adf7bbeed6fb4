package org.storeedge.vision.geometry;

import java.util.List;

/**
 * A simple polygon on the store floor (metres), e.g. the area in front of one lane where a
 * shopper stands to reach it. Vertices in order (either winding), not repeated at the end;
 * self-intersecting polygons are not checked and give even-odd results.
 *
 * @param id what the zone stands for, e.g. a lane id
 */
public record Zone(String id, List<Point2> vertices) {

  public Zone {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("zone id must not be blank (got: " + id + ")");
    }
    vertices = List.copyOf(vertices);
    if (vertices.size() < 3) {
      throw new IllegalArgumentException("zone " + id + " needs at least 3 vertices (got: " + vertices.size() + ")");
    }
    for (Point2 p : vertices) {
      if (!Double.isFinite(p.x()) || !Double.isFinite(p.y())) {
        throw new IllegalArgumentException("zone " + id + " has a non-finite vertex (got: " + p + ")");
      }
    }
  }

  /**
   * A rectangle {@code width} wide along the shelf front and {@code depth} deep into the aisle,
   * its back edge centred on {@code front} (the lane's position), extending in direction
   * {@code facingRadians} (the way the shelf faces, counter-clockwise from +x).
   */
  public static Zone inFrontOf(String id, Point2 front, double facingRadians, double width, double depth) {
    if (!(width > 0) || !(depth > 0)) {
      throw new IllegalArgumentException("zone " + id + " width and depth must be > 0 (got: " + width + ", " + depth + ")");
    }
    double fx = Math.cos(facingRadians), fy = Math.sin(facingRadians);
    double sx = -fy * width / 2, sy = fx * width / 2; // half-width along the shelf
    Point2 a = new Point2(front.x() - sx, front.y() - sy);
    Point2 b = new Point2(front.x() + sx, front.y() + sy);
    Point2 c = new Point2(b.x() + fx * depth, b.y() + fy * depth);
    Point2 d = new Point2(a.x() + fx * depth, a.y() + fy * depth);
    return new Zone(id, List.of(a, b, c, d));
  }

  /** Even-odd (ray casting) point-in-polygon; points exactly on an edge may fall either way. */
  public boolean contains(double x, double y) {
    boolean inside = false;
    int n = vertices.size();
    for (int i = 0, j = n - 1; i < n; j = i++) {
      Point2 a = vertices.get(i), b = vertices.get(j);
      if ((a.y() > y) != (b.y() > y)) {
        double xCross = a.x() + (y - a.y()) * (b.x() - a.x()) / (b.y() - a.y());
        if (x < xCross) {
          inside = !inside;
        }
      }
    }
    return inside;
  }

  public boolean contains(Point2 p) {
    return contains(p.x(), p.y());
  }
}
