package org.storeedge.vision.geometry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.storeedge.vision.BoundingBox;

class SimulatedCameraTest {
  // ceiling camera in a corner of the demo store looking along the aisles
  private final SimulatedCamera cam = new SimulatedCamera(
      new CameraPose(0.2, 0.2, 3.0, 35, 40, CameraPose.focalForHorizontalFov(1280, 90), 1280, 720));

  @Test
  void personBoxFootPointMapsBackToThePersonWithinOneCentimetre() {
    Random rnd = new Random(7);
    CameraCalibration cal = cam.calibration("c1");
    double worst = 0;
    int checked = 0;
    for (int i = 0; i < 500; i++) {
      double x = rnd.nextDouble() * 10, y = rnd.nextDouble() * 6;
      Optional<BoundingBox> box = cam.personBox(x, y);
      if (box.isEmpty() || box.get().y() <= 0.5 || box.get().bottom() >= 719.5 || box.get().x() <= 0.5 || box.get().right() >= 1279.5) {
        continue; // not seen whole: a clipped box has no true foot point
      }
      Point2 back = cal.footOnFloor(box.get());
      double err = back.distanceTo(new Point2(x, y));
      assertThat(err).as("person at %.2f, %.2f", x, y).isLessThan(0.01);
      worst = Math.max(worst, err);
      checked++;
    }
    assertThat(checked).isGreaterThan(50);
    System.out.printf("person foot point error over %d people: worst %.1f cm%n", checked, worst * 100);
  }

  @Test
  void bottomCentreAloneIsFarOffForASlantedPersonNearTheEdge() {
    // the reason footOnFloor uses the vanishing point: same person, plain bottom-centre rule
    CameraCalibration plain = new CameraCalibration("c1", cam.imageToFloor());
    CameraCalibration withVp = cam.calibration("c1");
    BoundingBox box = cam.personBox(0.9, 3.2).orElseThrow();
    assertThat(box.x()).isGreaterThan(0);
    assertThat(plain.footOnFloor(box).distanceTo(new Point2(0.9, 3.2))).isGreaterThan(0.2);
    assertThat(withVp.footOnFloor(box).distanceTo(new Point2(0.9, 3.2))).isLessThan(0.01);
  }

  @Test
  void vanishingPointIsRecoveredFromAFittedHomography() {
    Homography h = Homography.fit(
        java.util.List.of(new Point2(100, 700), new Point2(1200, 690), new Point2(900, 400), new Point2(300, 420)),
        java.util.List.of(new Point2(100, 700), new Point2(1200, 690), new Point2(900, 400), new Point2(300, 420))
            .stream().map(cam.imageToFloor()::apply).toList());
    Point2 est = CameraCalibration.estimateVerticalVanishingPoint(h, 1280, 720).orElseThrow();
    assertThat(est.distanceTo(cam.verticalVanishingPoint())).isLessThan(0.5);
    CameraCalibration fitted = CameraCalibration.fromPoints("c1",
        java.util.List.of(new Point2(100, 700), new Point2(1200, 690), new Point2(900, 400), new Point2(300, 420)),
        java.util.List.of(new Point2(100, 700), new Point2(1200, 690), new Point2(900, 400), new Point2(300, 420))
            .stream().map(cam.imageToFloor()::apply).toList(), 1280, 720);
    BoundingBox box = cam.personBox(0.9, 3.2).orElseThrow();
    assertThat(fitted.footOnFloor(box).distanceTo(new Point2(0.9, 3.2))).isLessThan(0.01);
  }

  @Test
  void camerasLookingSteeplyOrStraightDownFindTheFeetToo() {
    // a ceiling camera: the vanishing point is inside the picture, and a person below its centre
    // has the head at the bottom of the box and the feet at the top
    for (double pitch : new double[] {90, 75, 60}) {
      SimulatedCamera down = new SimulatedCamera(
          new CameraPose(5, 3, 3, 10, pitch, CameraPose.focalForHorizontalFov(320, 90), 320, 240));
      CameraCalibration cal = down.calibration("c1");
      Random rnd = new Random(3);
      int checked = 0;
      for (int i = 0; i < 2000; i++) {
        double x = rnd.nextDouble() * 10, y = rnd.nextDouble() * 6;
        Optional<BoundingBox> box = down.personBox(x, y);
        if (box.isEmpty() || box.get().y() <= 0.5 || box.get().bottom() >= 239.5 || box.get().x() <= 0.5
            || box.get().right() >= 319.5) {
          continue;
        }
        assertThat(cal.footOnFloor(box.get()).distanceTo(new Point2(x, y)))
            .as("pitch %.0f, person at %.2f, %.2f", pitch, x, y).isLessThan(0.01);
        checked++;
      }
      assertThat(checked).isGreaterThan(100);
    }
  }

  @Test
  void straightDownCameraHasItsVanishingPointAtTheCentre() {
    SimulatedCamera down = new SimulatedCamera(new CameraPose(5, 3, 3, 10, 90, 700, 1280, 720));
    Point2 est = CameraCalibration.estimateVerticalVanishingPoint(down.imageToFloor(), 1280, 720).orElseThrow();
    assertThat(est.distanceTo(new Point2(640, 360))).isLessThan(1e-3);
  }

  @Test
  void personBoxHasAPlausibleShapeAndShrinksWithDistance() {
    BoundingBox near = cam.personBox(2.5, 2.0).orElseThrow();
    BoundingBox far = cam.personBox(6.5, 4.5).orElseThrow();
    assertThat(near.h() / near.w()).isBetween(2.0f, 5.0f);
    assertThat(far.h()).isLessThan(near.h());
    assertThat(far.bottom()).isLessThan(near.bottom()); // farther is higher up in the image
  }

  @Test
  void pointsBehindTheCameraAreNotProjected() {
    assertThat(cam.projectFloor(-3, -3)).isEmpty();
    assertThat(cam.personBox(-3, -3)).isEmpty();
  }

  @Test
  void opticalAxisHitsTheImageCentre() {
    // the axis meets the floor at distance h / tan(pitch) along the heading
    double d = 3.0 / Math.tan(Math.toRadians(40));
    double x = 0.2 + d * Math.cos(Math.toRadians(35)), y = 0.2 + d * Math.sin(Math.toRadians(35));
    Point2 p = cam.projectFloor(x, y).orElseThrow();
    assertThat(p.distanceTo(new Point2(640, 360))).isLessThan(1e-6);
    assertThat(cam.imageToFloor().apply(640, 360).distanceTo(new Point2(x, y))).isLessThan(1e-6);
  }

  @Test
  void cameraToTheRightOfTheHeadingAppearsOnTheRight() {
    // heading +x: the floor point to the right of the heading is at smaller y
    SimulatedCamera c = new SimulatedCamera(new CameraPose(0, 0, 3, 0, 45, 800, 1280, 720));
    assertThat(c.projectFloor(3, -1).orElseThrow().x()).isGreaterThan(640);
    assertThat(c.projectFloor(3, 1).orElseThrow().x()).isLessThan(640);
  }

  @Test
  void poseValuesAreChecked() {
    assertThatThrownBy(() -> new CameraPose(0, 0, 0, 0, 45, 800, 1280, 720)).hasMessageContaining("height must be > 0 m (got: 0.0)");
    assertThatThrownBy(() -> new CameraPose(0, 0, 3, 0, -5, 800, 1280, 720)).hasMessageContaining("pitch");
    assertThatThrownBy(() -> CameraPose.focalForHorizontalFov(1280, 200)).hasMessageContaining("field of view");
  }
}
