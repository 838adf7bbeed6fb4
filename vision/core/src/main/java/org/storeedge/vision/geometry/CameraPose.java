package org.storeedge.vision.geometry;

/**
 * Where a camera is and where it looks, in the store frame (x, y on the floor in metres, z up).
 * Pinhole model, square pixels, principal point at the image centre, no roll, no lens
 * distortion.
 *
 * @param x floor position of the camera, metres
 * @param y floor position of the camera, metres
 * @param heightMetres mounting height above the floor, &gt; 0
 * @param yawDegrees heading of the optical axis seen from above, counter-clockwise from +x
 * @param pitchDegrees tilt of the optical axis below the horizontal, in (0, 90]
 * @param focalPixels focal length in pixels, &gt; 0
 * @param imageWidth pixels, &gt; 0
 * @param imageHeight pixels, &gt; 0
 */
public record CameraPose(double x, double y, double heightMetres, double yawDegrees, double pitchDegrees,
    double focalPixels, int imageWidth, int imageHeight) {

  public CameraPose {
    if (!(heightMetres > 0)) {
      throw new IllegalArgumentException("camera height must be > 0 m (got: " + heightMetres + ")");
    }
    if (!(pitchDegrees > 0 && pitchDegrees <= 90)) {
      throw new IllegalArgumentException("camera pitch must be in (0, 90] degrees below horizontal (got: " + pitchDegrees + ")");
    }
    if (!(focalPixels > 0)) {
      throw new IllegalArgumentException("camera focal length must be > 0 px (got: " + focalPixels + ")");
    }
    if (imageWidth <= 0 || imageHeight <= 0) {
      throw new IllegalArgumentException("camera image size must be > 0 (got: " + imageWidth + "x" + imageHeight + ")");
    }
    if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(yawDegrees)) {
      throw new IllegalArgumentException("camera position and yaw must be finite (got: " + x + ", " + y + ", " + yawDegrees + ")");
    }
  }

  /** Focal length for a horizontal field of view, degrees in (0, 180). */
  public static double focalForHorizontalFov(int imageWidth, double fovDegrees) {
    if (!(fovDegrees > 0 && fovDegrees < 180)) {
      throw new IllegalArgumentException("field of view must be in (0, 180) degrees (got: " + fovDegrees + ")");
    }
    return imageWidth / 2.0 / Math.tan(Math.toRadians(fovDegrees) / 2);
  }
}
