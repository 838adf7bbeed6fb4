package org.storeedge.vision.geometry;

import java.util.List;
import java.util.Optional;
import org.storeedge.vision.BoundingBox;

/**
 * How one camera's image maps onto the store floor.
 *
 * <p>A tilted camera sees vertical lines converge on the vertical vanishing point, so a person
 * off the image centre stands slanted and their box's bottom-centre is not where their feet are
 * (half a metre off near the edge of a wide-angle view). When the vanishing point is known, the
 * foot is found from the box and that point ({@link #footPixel}).
 *
 * @param cameraId the camera's id from the store config
 * @param imageToFloor image pixels to floor metres
 * @param verticalVanishingPoint image point where vertical lines meet (pixels), or null to take
 *     the box's bottom-centre as the foot point
 */
public record CameraCalibration(String cameraId, Homography imageToFloor, Point2 verticalVanishingPoint) {

  public CameraCalibration {
    if (cameraId == null || cameraId.isBlank()) {
      throw new IllegalArgumentException("calibration cameraId must not be blank (got: " + cameraId + ")");
    }
    if (imageToFloor == null) {
      throw new IllegalArgumentException("calibration of camera " + cameraId + " needs a homography");
    }
  }

  /** Without a vanishing point: feet at the box's bottom-centre. */
  public CameraCalibration(String cameraId, Homography imageToFloor) {
    this(cameraId, imageToFloor, null);
  }

  /**
   * From measured pairs: pixel positions of 4 or more marks on the floor and their floor
   * positions in metres (tape marks at known spots, shelf feet...). The vertical vanishing point
   * is estimated from the homography assuming square pixels and the principal point at the image
   * centre; when that is ill-conditioned the bottom-centre rule is used.
   */
  public static CameraCalibration fromPoints(String cameraId, List<Point2> imagePixels, List<Point2> floorMetres,
      int imageWidth, int imageHeight) {
    Homography h;
    try {
      h = Homography.fit(imagePixels, floorMetres);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("calibration of camera " + cameraId + ": " + e.getMessage(), e);
    }
    return new CameraCalibration(cameraId, h, estimateVerticalVanishingPoint(h, imageWidth, imageHeight).orElse(null));
  }

  /**
   * The vertical vanishing point implied by an image-to-floor homography of a pinhole camera with
   * square pixels, no skew and its principal point at the image centre: recovers the focal length
   * from the orthonormality of the floor axes, then projects the vertical. Empty when the
   * geometry does not determine it (camera looking straight down is fine; a degenerate or
   * non-metric homography is not).
   */
  public static Optional<Point2> estimateVerticalVanishingPoint(Homography imageToFloor, int imageWidth, int imageHeight) {
    double[] m = imageToFloor.inverse().matrix(); // floor -> image = s K [r1 r2 t]
    double cu = imageWidth / 2.0, cv = imageHeight / 2.0;
    // columns with the principal point removed: K^-1 h_i = (x_i / f, y_i / f, z_i)
    double x1 = m[0] - cu * m[6], y1 = m[3] - cv * m[6], z1 = m[6];
    double x2 = m[1] - cu * m[7], y2 = m[4] - cv * m[7], z2 = m[7];
    // r1 . r2 = 0:  (x1 x2 + y1 y2) / f^2 + z1 z2 = 0
    // |r1| = |r2|:  (x1^2 + y1^2 - x2^2 - y2^2) / f^2 + z1^2 - z2^2 = 0
    // least squares in g = 1 / f^2 over both equations
    double a1 = x1 * x2 + y1 * y2, b1 = -z1 * z2;
    double a2 = x1 * x1 + y1 * y1 - x2 * x2 - y2 * y2, b2 = z2 * z2 - z1 * z1;
    double inPlane = Math.max(Math.hypot(x1, y1), Math.hypot(x2, y2));
    if (Math.max(Math.abs(z1), Math.abs(z2)) * Math.max(imageWidth, imageHeight) < 1e-9 * inPlane) {
      // floor parallel to the image plane (looking straight down): verticals meet at the centre
      return Optional.of(new Point2(cu, cv));
    }
    double denom = a1 * a1 + a2 * a2;
    if (!(denom > 0)) {
      return Optional.empty();
    }
    double g = (a1 * b1 + a2 * b2) / denom;
    if (!(g > 0) || !Double.isFinite(g)) {
      return Optional.empty();
    }
    double f = 1 / Math.sqrt(g);
    double[] r1 = {x1 / f, y1 / f, z1};
    double[] r2 = {x2 / f, y2 / f, z2};
    double[] r3 = {r1[1] * r2[2] - r1[2] * r2[1], r1[2] * r2[0] - r1[0] * r2[2], r1[0] * r2[1] - r1[1] * r2[0]};
    if (Math.abs(r3[2]) < 1e-9 * Math.sqrt(r3[0] * r3[0] + r3[1] * r3[1] + r3[2] * r3[2])) {
      return Optional.empty(); // vertical parallel to the image plane: verticals stay parallel
    }
    Point2 v = new Point2(cu + f * r3[0] / r3[2], cv + f * r3[1] / r3[2]);
    return Double.isFinite(v.x()) && Double.isFinite(v.y()) ? Optional.of(v) : Optional.empty();
  }

  /**
   * Image point of a standing person's feet for their box, pixels. With the vanishing point V:
   * an upright figure's head edge is its foot edge scaled about V by
   * {@code rho = (head edge - V) / (foot edge - V)} (> 1: the head is farther from V), so the
   * foot edge's ends are recovered from the box's two other sides, and the foot is their
   * midpoint. The foot edge is the box edge nearer V on the side the figure lies from V: the
   * bottom for a tilted camera (V below the picture); for a camera looking steeply or straight
   * down (V inside the picture, heads pointing away from it) the top, bottom, left or right edge,
   * whichever faces V along the axis the box's centre lies farther from V on. A box that spans V
   * on that axis (a person right under a downward camera, seen from above) stands on its centre.
   */
  public Point2 footPixel(BoundingBox personBox) {
    double[] bc = personBox.footPoint();
    Point2 v = verticalVanishingPoint;
    double top = personBox.y();
    double bottom = personBox.bottom();
    if (v == null) {
      return new Point2(bc[0], bottom);
    }
    double cx = personBox.x() + personBox.w() / 2.0, cy = (top + bottom) / 2;
    // beside V rather than above or below it (only where V lies among the picture's columns)
    boolean sideways = Math.abs(cx - v.x()) * personBox.h() > Math.abs(cy - v.y()) * personBox.w()
        && Math.abs(cx - v.x()) > personBox.w() / 2.0;
    if (sideways) {
      Point2 f = footEdge(personBox.x(), personBox.right(), top, bottom, v.x(), v.y());
      return f == null ? new Point2(cx, cy) : new Point2(f.x(), f.y());
    }
    Point2 f = footEdge(top, bottom, personBox.x(), personBox.right(), v.y(), v.x());
    if (f == null) {
      return new Point2(bc[0], cy);
    }
    return new Point2(f.y(), f.x());
  }

  /**
   * Along the axis from V ({@code va}): the foot edge's coordinate and, across it, the foot's
   * coordinate recovered from the box's sides {@code lo..hi} (V across at {@code vc}); null when
   * the box spans V on that axis. Returned as (along, across).
   */
  private static Point2 footEdge(double min, double max, double lo, double hi, double va, double vc) {
    boolean feetAtMax = va >= (min + max) / 2;
    double near = feetAtMax ? max : min;
    double far = feetAtMax ? min : max;
    if (Math.abs(near - va) < 1e-6) {
      return null;
    }
    double rho = (far - va) / (near - va);
    if (!(rho >= 1) || !Double.isFinite(rho)) {
      return null; // the figure spans V (right under a downward camera)
    }
    // the box side is the foot corner or the scaled head corner, whichever lies further out
    double l = Math.max(lo, vc + (lo - vc) / rho);
    double r = Math.min(hi, vc + (hi - vc) / rho);
    double across = l <= r ? (l + r) / 2 : (lo + hi) / 2;
    return new Point2(near, across);
  }

  /** Floor position (metres) of a standing person's box. */
  public Point2 footOnFloor(BoundingBox personBox) {
    return imageToFloor.apply(footPixel(personBox));
  }
}
