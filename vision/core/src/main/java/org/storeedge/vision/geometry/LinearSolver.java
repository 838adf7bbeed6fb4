package org.storeedge.vision.geometry;

/** Small dense linear algebra for geometry fits (n &lt;= ~10); not a general library. */
final class LinearSolver {
  private LinearSolver() {}

  /**
   * Solves {@code a x = b} by Gaussian elimination with partial pivoting. {@code a} is n x n and
   * is not modified. Throws {@link IllegalArgumentException} when the system is singular relative
   * to {@code relTol} times its largest entry.
   */
  static double[] solve(double[][] a, double[] b, double relTol) {
    int n = b.length;
    double[][] m = new double[n][n + 1];
    double scale = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        m[i][j] = a[i][j];
        scale = Math.max(scale, Math.abs(a[i][j]));
      }
      m[i][n] = b[i];
    }
    if (scale == 0) {
      throw new IllegalArgumentException("singular system (all zero)");
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
          pivot = r;
        }
      }
      if (Math.abs(m[pivot][col]) <= relTol * scale) {
        throw new IllegalArgumentException("singular system (column " + col + ")");
      }
      double[] t = m[col];
      m[col] = m[pivot];
      m[pivot] = t;
      for (int r = col + 1; r < n; r++) {
        double f = m[r][col] / m[col][col];
        if (f != 0) {
          for (int c = col; c <= n; c++) {
            m[r][c] -= f * m[col][c];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double s = m[r][n];
      for (int c = r + 1; c < n; c++) {
        s -= m[r][c] * x[c];
      }
      x[r] = s / m[r][r];
    }
    return x;
  }

  /** Least squares {@code min |a x - b|} via the normal equations; a is rows x n, rows &gt;= n. */
  static double[] leastSquares(double[][] a, double[] b, double relTol) {
    int n = a[0].length;
    double[][] ata = new double[n][n];
    double[] atb = new double[n];
    for (int r = 0; r < a.length; r++) {
      for (int i = 0; i < n; i++) {
        atb[i] += a[r][i] * b[r];
        for (int j = 0; j < n; j++) {
          ata[i][j] += a[r][i] * a[r][j];
        }
      }
    }
    return solve(ata, atb, relTol);
  }

  /** Inverse of a 3x3 row-major matrix; throws when |det| is negligible. */
  static double[] invert3(double[] m) {
    double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
    double A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
    double det = a * A + b * B + c * C;
    double norm = 0;
    for (double v : m) {
      norm = Math.max(norm, Math.abs(v));
    }
    if (!(Math.abs(det) > 1e-12 * norm * norm * norm)) {
      throw new IllegalArgumentException("matrix is singular (det " + det + ")");
    }
    return new double[] {
        A / det, -(b * i - c * h) / det, (b * f - c * e) / det,
        B / det, (a * i - c * g) / det, -(a * f - c * d) / det,
        C / det, -(a * h - b * g) / det, (a * e - b * d) / det};
  }

  static double[] multiply3(double[] p, double[] q) {
    double[] r = new double[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double s = 0;
        for (int k = 0; k < 3; k++) {
          s += p[i * 3 + k] * q[k * 3 + j];
        }
        r[i * 3 + j] = s;
      }
    }
    return r;
  }
}
