package org.storeedge.vision.geometry;

import java.util.Optional;
import org.storeedge.vision.BoundingBox;

/**
 * Pinhole projection for a {@link CameraPose}: where floor points and standing people appear in
 * the image, and the camera's exact image-to-floor homography. The simulator uses it to place
 * figures in rendered frames and to give its cameras a calibration. Immutable.
 *
 * <p>Camera axes follow the image: x right, y down, z forward along the optical axis.
 */
public final class SimulatedCamera {
  /** Standing person model: an upright figure this tall and wide, metres. */
  public static final double PERSON_HEIGHT_METRES = 1.7;
  public static final double PERSON_WIDTH_METRES = 0.5;

  private final CameraPose pose;
  // rows of the world-to-camera rotation: camera x (right), y (down), z (forward) in world axes
  private final double[] right;
  private final double[] down;
  private final double[] forward;
  private final double[] centre;
  private final double cu;
  private final double cv;

  public SimulatedCamera(CameraPose pose) {
    this.pose = pose;
    double yaw = Math.toRadians(pose.yawDegrees());
    double pitch = Math.toRadians(pose.pitchDegrees());
    double hx = Math.cos(yaw), hy = Math.sin(yaw);
    this.forward = new double[] {Math.cos(pitch) * hx, Math.cos(pitch) * hy, -Math.sin(pitch)};
    this.right = new double[] {hy, -hx, 0};
    // down = forward x right
    this.down = new double[] {
        forward[1] * right[2] - forward[2] * right[1],
        forward[2] * right[0] - forward[0] * right[2],
        forward[0] * right[1] - forward[1] * right[0]};
    this.centre = new double[] {pose.x(), pose.y(), pose.heightMetres()};
    this.cu = pose.imageWidth() / 2.0;
    this.cv = pose.imageHeight() / 2.0;
  }

  public CameraPose pose() {
    return pose;
  }

  /** Depth of a world point along the optical axis, metres; &lt;= 0 means behind the camera. */
  public double depth(double x, double y, double z) {
    return dot(forward, x - centre[0], y - centre[1], z - centre[2]);
  }

  /**
   * Image position of a world point (metres; z up), pixels; empty when the point is behind or
   * too close to the image plane (depth &lt; 1 cm). The pixel may lie outside the image.
   */
  public Optional<Point2> project(double x, double y, double z) {
    double dx = x - centre[0], dy = y - centre[1], dz = z - centre[2];
    double zc = dot(forward, dx, dy, dz);
    if (zc < 0.01) {
      return Optional.empty();
    }
    double f = pose.focalPixels();
    return Optional.of(new Point2(cu + f * dot(right, dx, dy, dz) / zc, cv + f * dot(down, dx, dy, dz) / zc));
  }

  /** Image position of a floor point; see {@link #project}. */
  public Optional<Point2> projectFloor(double x, double y) {
    return project(x, y, 0);
  }

  public boolean inImage(Point2 p) {
    return p.x() >= 0 && p.y() >= 0 && p.x() <= pose.imageWidth() && p.y() <= pose.imageHeight();
  }

  /** Floor metres to image pixels: {@code K [r_x r_y t]} for the floor plane z = 0. */
  public Homography floorToImage() {
    double f = pose.focalPixels();
    // camera coords of world (X, Y, 0): X * col0 + Y * col1 + t, with t = -R c
    double[] col0 = {right[0], down[0], forward[0]};
    double[] col1 = {right[1], down[1], forward[1]};
    double[] t = {-dot(right, centre), -dot(down, centre), -dot(forward, centre)};
    double[] k = {f, 0, cu, 0, f, cv, 0, 0, 1};
    double[] m = {col0[0], col1[0], t[0], col0[1], col1[1], t[1], col0[2], col1[2], t[2]};
    return Homography.of(LinearSolver.multiply3(k, m));
  }

  /** Image pixels to floor metres (valid below the horizon). */
  public Homography imageToFloor() {
    return floorToImage().inverse();
  }

  /** Where vertical lines meet in the image: the projection of the downward direction. */
  public Point2 verticalVanishingPoint() {
    // camera coordinates of world (0, 0, -1) are (0, cos pitch, sin pitch)
    double pitch = Math.toRadians(pose.pitchDegrees());
    return new Point2(cu, cv + pose.focalPixels() * Math.cos(pitch) / Math.sin(pitch));
  }

  /** The exact calibration of this camera. */
  public CameraCalibration calibration(String cameraId) {
    return new CameraCalibration(cameraId, imageToFloor(), verticalVanishingPoint());
  }

  /**
   * The image box of a person standing at floor point {@code (x, y)}, modelled as an upright
   * figure {@link #PERSON_WIDTH_METRES} wide and {@link #PERSON_HEIGHT_METRES} tall held parallel
   * to the image's horizontal axis (a sprite, as the renderer draws it). The bottom corners lie
   * level with the projection of {@code (x, y)}; as vertical lines converge on
   * {@link #verticalVanishingPoint}, a figure off the image's centre line stands slanted, and
   * {@link CameraCalibration#footOnFloor} (with that point) recovers {@code (x, y)} from the box.
   * The box is clipped to the image; empty when the
   * figure is behind the camera or entirely outside the image.
   */
  public Optional<BoundingBox> personBox(double x, double y) {
    return standingBox(x, y, PERSON_WIDTH_METRES, PERSON_HEIGHT_METRES);
  }

  /** Like {@link #personBox} for a figure of another size (metres). */
  public Optional<BoundingBox> standingBox(double x, double y, double widthMetres, double heightMetres) {
    double hw = widthMetres / 2;
    double minU = Double.POSITIVE_INFINITY, minV = Double.POSITIVE_INFINITY;
    double maxU = Double.NEGATIVE_INFINITY, maxV = Double.NEGATIVE_INFINITY;
    for (int side = -1; side <= 1; side += 2) {
      for (double z : new double[] {0, heightMetres}) {
        Optional<Point2> p = project(x + side * hw * right[0], y + side * hw * right[1], z);
        if (p.isEmpty()) {
          return Optional.empty();
        }
        minU = Math.min(minU, p.get().x());
        maxU = Math.max(maxU, p.get().x());
        minV = Math.min(minV, p.get().y());
        maxV = Math.max(maxV, p.get().y());
      }
    }
    double u0 = Math.max(0, minU), v0 = Math.max(0, minV);
    double u1 = Math.min(pose.imageWidth(), maxU), v1 = Math.min(pose.imageHeight(), maxV);
    if (u1 <= u0 || v1 <= v0) {
      return Optional.empty();
    }
    return Optional.of(BoundingBox.ofCorners(u0, v0, u1, v1));
  }

  private static double dot(double[] a, double x, double y, double z) {
    return a[0] * x + a[1] * y + a[2] * z;
  }

  private static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }
}
