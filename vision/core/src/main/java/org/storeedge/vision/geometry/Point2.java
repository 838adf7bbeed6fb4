package org.storeedge.vision.geometry;

/** A 2-D point: image pixels or floor metres, as the caller's context says. */
public record Point2(double x, double y) {

  public double distanceTo(Point2 o) {
    return Math.hypot(x - o.x, y - o.y);
  }
}
