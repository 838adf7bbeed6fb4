package org.storeedge.vision.geometry;

import java.util.Arrays;
import java.util.List;

/**
 * A plane-to-plane projective map, 3x3 row-major, normalised so that {@code h[8] == 1} where
 * possible. For cameras: image pixels to store-floor metres (the floor is the plane z = 0).
 * Immutable and thread-safe.
 */
public final class Homography {
  private final double[] m;

  private Homography(double[] m) {
    for (double v : m) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("homography entries must be finite (got: " + Arrays.toString(m) + ")");
      }
    }
    double s = Math.abs(m[8]) > 1e-12 ? m[8] : 1;
    this.m = new double[9];
    for (int i = 0; i < 9; i++) {
      this.m[i] = m[i] / s;
    }
  }

  /** From 9 row-major entries (as written in a calibration file); throws when singular. */
  public static Homography of(double... rowMajor) {
    if (rowMajor.length != 9) {
      throw new IllegalArgumentException("homography needs 9 entries (got: " + rowMajor.length + ")");
    }
    Homography h = new Homography(rowMajor.clone());
    LinearSolver.invert3(h.m); // rejects singular matrices here, not at first use
    return h;
  }

  public static Homography identity() {
    return new Homography(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
  }

  /**
   * Fits the map taking {@code from[i]} to {@code to[i]} (normalised DLT, least squares over
   * 4 or more pairs). Throws {@link IllegalArgumentException} when there are fewer than 4 pairs,
   * the lists differ in length, or the points are degenerate (three or more collinear in a
   * 4-point set, all on a line, ...).
   */
  public static Homography fit(List<Point2> from, List<Point2> to) {
    if (from.size() != to.size()) {
      throw new IllegalArgumentException("homography fit needs as many image as floor points (got: "
          + from.size() + " and " + to.size() + ")");
    }
    if (from.size() < 4) {
      throw new IllegalArgumentException("homography fit needs at least 4 point pairs (got: " + from.size() + ")");
    }
    double[] tFrom = normalising(from);
    double[] tTo = normalising(to);
    int n = from.size();
    double[][] a = new double[2 * n][8];
    double[] b = new double[2 * n];
    for (int i = 0; i < n; i++) {
      double[] p = applyRaw(tFrom, from.get(i).x(), from.get(i).y());
      double[] q = applyRaw(tTo, to.get(i).x(), to.get(i).y());
      double x = p[0], y = p[1], u = q[0], v = q[1];
      // u = (h0 x + h1 y + h2) / (h6 x + h7 y + 1), likewise v with h3..h5
      a[2 * i] = new double[] {x, y, 1, 0, 0, 0, -u * x, -u * y};
      b[2 * i] = u;
      a[2 * i + 1] = new double[] {0, 0, 0, x, y, 1, -v * x, -v * y};
      b[2 * i + 1] = v;
    }
    double[] h;
    try {
      h = LinearSolver.leastSquares(a, b, 1e-10);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("homography fit: points are degenerate (collinear or repeated)", e);
    }
    double[] hn = {h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1};
    // denormalise: H = Tto^-1 * Hn * Tfrom
    double[] full = LinearSolver.multiply3(LinearSolver.invert3(tTo), LinearSolver.multiply3(hn, tFrom));
    Homography result = new Homography(full);
    try {
      LinearSolver.invert3(result.m);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("homography fit: points are degenerate (singular map)", e);
    }
    return result;
  }

  /**
   * Hartley normalisation: translate the centroid to the origin and scale the mean distance to
   * sqrt(2). Returns the 3x3 similarity.
   */
  private static double[] normalising(List<Point2> pts) {
    double cx = 0, cy = 0;
    for (Point2 p : pts) {
      cx += p.x();
      cy += p.y();
    }
    cx /= pts.size();
    cy /= pts.size();
    double mean = 0;
    for (Point2 p : pts) {
      mean += Math.hypot(p.x() - cx, p.y() - cy);
    }
    mean /= pts.size();
    if (!(mean > 0)) {
      throw new IllegalArgumentException("homography fit: all points coincide");
    }
    double s = Math.sqrt(2) / mean;
    return new double[] {s, 0, -s * cx, 0, s, -s * cy, 0, 0, 1};
  }

  private static double[] applyRaw(double[] h, double x, double y) {
    double w = h[6] * x + h[7] * y + h[8];
    return new double[] {(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w};
  }

  /**
   * Maps a point. Throws {@link IllegalArgumentException} when the point lies on the vanishing
   * line (for image-to-floor: the horizon), where the map is undefined.
   */
  public Point2 apply(double x, double y) {
    double w = m[6] * x + m[7] * y + m[8];
    if (Math.abs(w) < 1e-12) {
      throw new IllegalArgumentException("point (" + x + ", " + y + ") is on the homography's vanishing line");
    }
    return new Point2((m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w);
  }

  public Point2 apply(Point2 p) {
    return apply(p.x(), p.y());
  }

  /**
   * The sign of the homogeneous coordinate w for {@code (x, y)}. For an image-to-floor map built
   * from points below the horizon, points with the other sign are above the horizon and have no
   * floor position.
   */
  public double w(double x, double y) {
    return m[6] * x + m[7] * y + m[8];
  }

  public Homography inverse() {
    return new Homography(LinearSolver.invert3(m));
  }

  /** {@code this} after {@code first}: p -&gt; this(first(p)). */
  public Homography after(Homography first) {
    return new Homography(LinearSolver.multiply3(m, first.m));
  }

  /** The 9 row-major entries (a copy). */
  public double[] matrix() {
    return m.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Homography h && Arrays.equals(m, h.m);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(m);
  }

  @Override
  public String toString() {
    return "Homography" + Arrays.toString(m);
  }
}
