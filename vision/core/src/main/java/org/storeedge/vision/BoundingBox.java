package org.storeedge.vision;

/**
 * An axis-aligned box in image pixels: {@code (x, y)} is the top-left corner, x to the right, y
 * down; {@code w} and {@code h} are &gt;= 0.
 */
public record BoundingBox(float x, float y, float w, float h) {

  public BoundingBox {
    if (!(w >= 0) || !(h >= 0) || !Float.isFinite(x) || !Float.isFinite(y) || !Float.isFinite(w) || !Float.isFinite(h)) {
      throw new IllegalArgumentException("box must be finite with w, h >= 0 (got: x=" + x + " y=" + y + " w=" + w + " h=" + h + ")");
    }
  }

  /** The box spanning {@code [x1, x2] x [y1, y2]} (corners in any order). */
  public static BoundingBox ofCorners(double x1, double y1, double x2, double y2) {
    return new BoundingBox((float) Math.min(x1, x2), (float) Math.min(y1, y2),
        (float) Math.abs(x2 - x1), (float) Math.abs(y2 - y1));
  }

  public static BoundingBox ofCentre(double cx, double cy, double w, double h) {
    return new BoundingBox((float) (cx - w / 2), (float) (cy - h / 2), (float) w, (float) h);
  }

  public float right() {
    return x + w;
  }

  public float bottom() {
    return y + h;
  }

  public double centreX() {
    return x + w / 2.0;
  }

  public double centreY() {
    return y + h / 2.0;
  }

  public double area() {
    return (double) w * h;
  }

  /** Area the two boxes share (square pixels); 0 when they do not overlap. */
  public double sharedArea(BoundingBox o) {
    double ix = Math.min(right(), o.right()) - Math.max(x, o.x);
    double iy = Math.min(bottom(), o.bottom()) - Math.max(y, o.y);
    return ix <= 0 || iy <= 0 ? 0 : ix * iy;
  }

  /** Intersection over union in [0, 1]; 0 when either box is empty. */
  public double iou(BoundingBox o) {
    double inter = sharedArea(o);
    if (inter <= 0) {
      return 0;
    }
    double union = area() + o.area() - inter;
    return union <= 0 ? 0 : inter / union;
  }

  /** Where a standing person touches the floor: bottom-centre, pixels {@code {x, y}}. */
  public double[] footPoint() {
    return new double[] {centreX(), bottom()};
  }
}
