package org.storeedge.vision.geometry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Property-style checks over many seeded random cameras. */
class HomographyPropertiesTest {
  private static double in(Random r, double min, double max) {
    return min + (max - min) * r.nextDouble();
  }

  @Test
  void imageToFloorToImageRoundTripsForManyCameras() {
    Random r = new Random(20240611);
    for (int i = 0; i < 300; i++) {
      imageToFloorToImageRoundTrips(in(r, 0, 10), in(r, 0, 6), in(r, 2.2, 4.5), in(r, -180, 180), in(r, 25, 80),
          in(r, 50, 110), in(r, 0, 1), in(r, 0.55, 1));
    }
  }

  @Test
  void fittedFromFourOrMoreProjectedPointsRoundTripsForManyCameras() {
    Random r = new Random(20240612);
    for (int i = 0; i < 300; i++) {
      fittedFromFourOrMoreProjectedPointsRoundTrips(in(r, -60, 60), in(r, 30, 75), 4 + r.nextInt(5), in(r, 0.05, 0.95),
          in(r, 0.6, 0.95));
    }
  }

  /** Cameras over a 10 m x 6 m store, looking down at 25..80 degrees. */
  private static void imageToFloorToImageRoundTrips(
      double camX,
      double camY,
      double height,
      double yaw,
      double pitch,
      double fov,
      double fu,
      double fv) {
    CameraPose pose = new CameraPose(camX, camY, height, yaw, pitch, CameraPose.focalForHorizontalFov(1280, fov), 1280, 720);
    SimulatedCamera cam = new SimulatedCamera(pose);
    Homography toFloor = cam.imageToFloor();
    Homography toImage = cam.floorToImage();
    // lower part of the image: surely floor for these pitches
    Point2 px = new Point2(fu * 1280, fv * 720);
    Point2 floor = toFloor.apply(px);
    Point2 back = toImage.apply(floor);
    assertThat(back.distanceTo(px)).isLessThan(1e-6 * (1 + floor.distanceTo(new Point2(camX, camY))));
    // and it is the point the camera projects there
    Optional<Point2> projected = cam.projectFloor(floor.x(), floor.y());
    assertThat(projected).isPresent();
    assertThat(projected.get().distanceTo(px)).isLessThan(1e-6);
  }

  private static void fittedFromFourOrMoreProjectedPointsRoundTrips(
      double yaw,
      double pitch,
      int n,
      double fu,
      double fv) {
    SimulatedCamera cam = new SimulatedCamera(new CameraPose(0, 0, 3, yaw, pitch, 900, 1280, 720));
    Homography exact = cam.imageToFloor();
    List<Point2> img = new ArrayList<>();
    List<Point2> floor = new ArrayList<>();
    for (int i = 0; i < n; i++) { // points on an ellipse in the lower image: never 3 collinear
      double a = 2 * Math.PI * i / n + 0.3;
      Point2 p = new Point2(640 + 500 * Math.cos(a), 560 + 140 * Math.sin(a));
      img.add(p);
      floor.add(exact.apply(p));
    }
    Homography fitted = Homography.fit(img, floor);
    Point2 probe = new Point2(fu * 1280, fv * 720);
    Point2 f = fitted.apply(probe);
    assertThat(f.distanceTo(exact.apply(probe))).isLessThan(1e-6);
    assertThat(fitted.inverse().apply(f).distanceTo(probe)).isLessThan(1e-5);
  }
}
