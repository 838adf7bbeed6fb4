package org.storeedge.vision.track;

import java.util.Arrays;

/** Minimum-cost bipartite assignment (Hungarian / Kuhn-Munkres with potentials), O(n^2 m). */
public final class Assignment {
  private Assignment() {}

  /**
   * Assigns rows to columns minimising the total cost, then drops pairs whose cost exceeds
   * {@code maxCost} (entries above it are treated as forbidden). Returns, for each row, its
   * column or -1. {@code cost} is rows x cols (either may be larger); entries must be finite.
   */
  public static int[] solve(double[][] cost, double maxCost) {
    int rows = cost.length;
    int[] result = new int[rows];
    Arrays.fill(result, -1);
    if (rows == 0 || cost[0].length == 0) {
      return result;
    }
    int cols = cost[0].length;
    // Forbidden pairs cost more than any allowed full assignment could save.
    double big = (Math.max(maxCost, 0) + 1) * (Math.min(rows, cols) + 1) + 1;
    boolean transpose = rows > cols;
    int n = transpose ? cols : rows;
    int m = transpose ? rows : cols;
    double[][] a = new double[n][m];
    for (int i = 0; i < rows; i++) {
      if (cost[i].length != cols) {
        throw new IllegalArgumentException("cost matrix rows differ in length (" + cost[i].length + " vs " + cols + ")");
      }
      for (int j = 0; j < cols; j++) {
        double c = cost[i][j];
        if (Double.isNaN(c)) {
          throw new IllegalArgumentException("cost matrix has NaN at (" + i + ", " + j + ")");
        }
        double v = c > maxCost ? big : c;
        if (transpose) {
          a[j][i] = v;
        } else {
          a[i][j] = v;
        }
      }
    }
    int[] colOfRow = hungarian(a, n, m);
    for (int r = 0; r < n; r++) {
      int c = colOfRow[r];
      if (c < 0) {
        continue;
      }
      int row = transpose ? c : r;
      int col = transpose ? r : c;
      if (cost[row][col] <= maxCost) {
        result[row] = col;
      }
    }
    return result;
  }

  /** n &lt;= m; returns the column of each row. */
  private static int[] hungarian(double[][] a, int n, int m) {
    double[] u = new double[n + 1];
    double[] v = new double[m + 1];
    int[] p = new int[m + 1]; // p[j]: row (1-based) assigned to column j
    int[] way = new int[m + 1];
    for (int i = 1; i <= n; i++) {
      p[0] = i;
      int j0 = 0;
      double[] minv = new double[m + 1];
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      boolean[] used = new boolean[m + 1];
      do {
        used[j0] = true;
        int i0 = p[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = 0;
        for (int j = 1; j <= m; j++) {
          if (!used[j]) {
            double cur = a[i0 - 1][j - 1] - u[i0] - v[j];
            if (cur < minv[j]) {
              minv[j] = cur;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        for (int j = 0; j <= m; j++) {
          if (used[j]) {
            u[p[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (p[j0] != 0);
      do {
        int j1 = way[j0];
        p[j0] = p[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] colOfRow = new int[n];
    Arrays.fill(colOfRow, -1);
    for (int j = 1; j <= m; j++) {
      if (p[j] != 0) {
        colOfRow[p[j] - 1] = j - 1;
      }
    }
    return colOfRow;
  }
}
