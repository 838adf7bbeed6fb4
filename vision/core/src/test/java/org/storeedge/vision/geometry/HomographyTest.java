package org.storeedge.vision.geometry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HomographyTest {

  private static final Homography KNOWN = Homography.of(
      0.012, 0.0015, -3.0,
      -0.0005, 0.02, -1.0,
      0.00002, 0.0009, 1.0);

  @Test
  void fourExactPairsRecoverTheMap() {
    List<Point2> img = List.of(new Point2(100, 400), new Point2(1100, 420), new Point2(900, 700), new Point2(200, 690));
    List<Point2> floor = img.stream().map(KNOWN::apply).toList();
    Homography fitted = Homography.fit(img, floor);
    for (Point2 p : List.of(new Point2(640, 500), new Point2(10, 710), new Point2(1270, 380))) {
      Point2 expected = KNOWN.apply(p);
      Point2 got = fitted.apply(p);
      assertThat(got.distanceTo(expected)).isLessThan(1e-6);
    }
  }

  @Test
  void eightNoisyPairsFitInTheLeastSquaresSense() {
    Random rnd = new Random(42);
    List<Point2> img = new ArrayList<>();
    List<Point2> floor = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Point2 p = new Point2(100 + rnd.nextDouble() * 1000, 380 + rnd.nextDouble() * 330);
      Point2 q = KNOWN.apply(p);
      img.add(new Point2(p.x() + rnd.nextGaussian() * 0.5, p.y() + rnd.nextGaussian() * 0.5)); // half-pixel clicks
      floor.add(q);
    }
    Homography fitted = Homography.fit(img, floor);
    Point2 probe = new Point2(640, 550);
    // half a pixel of click noise is a few millimetres on the floor here
    assertThat(fitted.apply(probe).distanceTo(KNOWN.apply(probe))).isLessThan(0.02);
  }

  @Test
  void inverseUndoesTheMap() {
    Homography inv = KNOWN.inverse();
    Point2 p = new Point2(333, 512);
    Point2 back = inv.apply(KNOWN.apply(p));
    assertThat(back.x()).isCloseTo(333, within(1e-6));
    assertThat(back.y()).isCloseTo(512, within(1e-6));
    assertThat(KNOWN.after(inv).apply(p).distanceTo(p)).isLessThan(1e-6);
  }

  @Test
  void degenerateInputIsRejectedWithAMessage() {
    List<Point2> collinear = List.of(new Point2(0, 0), new Point2(1, 1), new Point2(2, 2), new Point2(3, 3));
    List<Point2> square = List.of(new Point2(0, 0), new Point2(1, 0), new Point2(1, 1), new Point2(0, 1));
    assertThatThrownBy(() -> Homography.fit(collinear, square)).hasMessageContaining("degenerate");
    assertThatThrownBy(() -> Homography.fit(square.subList(0, 3), square.subList(0, 3)))
        .hasMessageContaining("at least 4 point pairs (got: 3)");
    assertThatThrownBy(() -> Homography.fit(square, square.subList(0, 3))).hasMessageContaining("as many");
    assertThatThrownBy(() -> Homography.of(1, 2, 3, 2, 4, 6, 0, 0, 1)).hasMessageContaining("singular");
    assertThatThrownBy(() -> Homography.of(1, 0, 0)).hasMessageContaining("9 entries (got: 3)");
  }

  @Test
  void calibrationFromPointsNamesTheCameraOnError() {
    List<Point2> bad = List.of(new Point2(0, 0), new Point2(0, 0), new Point2(0, 0), new Point2(0, 0));
    assertThatThrownBy(() -> CameraCalibration.fromPoints("cam-7", bad, bad, 1280, 720)).hasMessageStartingWith("calibration of camera cam-7");
  }

  @Test
  void pointOnTheVanishingLineHasNoImage() {
    Homography h = Homography.of(1, 0, 0, 0, 1, 0, 0, 1, -100); // w = y - 100
    assertThatThrownBy(() -> h.apply(5, 100)).hasMessageContaining("vanishing line");
  }
}
