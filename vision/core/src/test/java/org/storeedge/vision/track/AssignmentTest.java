package org.storeedge.vision.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AssignmentTest {

  @Test
  void matchesBruteForceOnRandomSquareAndRectangularMatrices() {
    Random rnd = new Random(3);
    for (int trial = 0; trial < 300; trial++) {
      int rows = 1 + rnd.nextInt(5), cols = 1 + rnd.nextInt(5);
      double[][] c = new double[rows][cols];
      for (double[] row : c) {
        for (int j = 0; j < cols; j++) {
          row[j] = rnd.nextDouble();
        }
      }
      int[] got = Assignment.solve(c, 1.0);
      double total = 0;
      boolean[] usedCols = new boolean[cols];
      int matched = 0;
      for (int i = 0; i < rows; i++) {
        if (got[i] >= 0) {
          assertThat(usedCols[got[i]]).isFalse();
          usedCols[got[i]] = true;
          total += c[i][got[i]];
          matched++;
        }
      }
      assertThat(matched).isEqualTo(Math.min(rows, cols));
      assertThat(total).isCloseTo(bruteForce(c, 0, new boolean[cols]), org.assertj.core.api.Assertions.within(1e-9));
    }
  }

  private static double bruteForce(double[][] c, int row, boolean[] used) {
    if (row == c.length) {
      return 0;
    }
    int free = 0;
    for (boolean u : used) {
      free += u ? 0 : 1;
    }
    double best = Double.POSITIVE_INFINITY;
    if (c.length - row > free) { // more rows than columns left: this row may stay unmatched
      best = bruteForce(c, row + 1, used);
    }
    for (int j = 0; j < used.length; j++) {
      if (!used[j]) {
        used[j] = true;
        best = Math.min(best, c[row][j] + bruteForce(c, row + 1, used));
        used[j] = false;
      }
    }
    return best;
  }

  @Test
  void pairsAboveTheLimitStayUnmatched() {
    double[][] c = {{0.1, 0.95}, {0.9, 0.99}};
    assertThat(Assignment.solve(c, 0.8)).containsExactly(0, -1);
  }

  @Test
  void forbiddenPairsDoNotPushAllowedOnesAside() {
    // row 0 could take col 0 (0.7) but that would force row 1 onto a forbidden pair
    double[][] c = {{0.7, 0.2}, {0.3, 5}};
    assertThat(Assignment.solve(c, 0.8)).containsExactly(1, 0);
  }

  @Test
  void emptyInputsGiveEmptyResults() {
    assertThat(Assignment.solve(new double[0][0], 1)).isEmpty();
    assertThat(Assignment.solve(new double[2][0], 1)).containsExactly(-1, -1);
  }
}
