package org.storeedge.simulator.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.storeedge.config.StoreConfig;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Frame;
import org.storeedge.vision.geometry.CameraPose;
import org.storeedge.vision.geometry.Homography;
import org.storeedge.vision.geometry.Point2;

class SimulatedCameraRendererTest {
  private static final StoreConfig STORE = CameraTestSupport.demoStore();
  private static final StoreLayout LAYOUT = new StoreLayout(STORE);
  private static final Instant T = Instant.parse("2026-01-05T10:00:00Z");

  @Test
  void sameSeedPoseFiguresAndInstantGiveTheSameBytes() {
    Random r = new Random(11);
    for (int round = 0; round < 5; round++) {
      CameraPose pose = CameraPoses.random(LAYOUT, r, 320, 240);
      long seed = r.nextLong();
      List<ShopperFigure> figures = randomFigures(r, 4);
      Instant at = T.plusMillis(r.nextInt(100_000));
      RenderedFrame a = new SimulatedCameraRenderer("cam", pose, STORE, seed).render(figures, at, 0);
      SimulatedCameraRenderer other = new SimulatedCameraRenderer("cam", pose, STORE, seed);
      other.render(randomFigures(r, 3), at.plusSeconds(3), 0); // history must not matter
      RenderedFrame b = other.render(figures, at, 7);
      assertThat(b.frame().bgr()).isEqualTo(a.frame().bgr());
      assertThat(b.persons()).isEqualTo(a.persons());
      assertThat(b.frame().sequence()).isEqualTo(7);
      assertThat(b.frame().captureMillis()).isEqualTo(at.toEpochMilli());
      assertThat(new SimulatedCameraRenderer("cam", pose, STORE, seed + 1).render(figures, at, 0).frame().bgr())
          .isNotEqualTo(a.frame().bgr());
      assertThat(other.render(figures, at.plusMillis(200), 0).frame().bgr()).as("noise changes per frame")
          .isNotEqualTo(a.frame().bgr());
    }
  }

  @Test
  void frameIsBgrOfThePoseSize() {
    CameraPose pose = CameraPoses.corners(LAYOUT, 640, 480).get(0);
    Frame f = new SimulatedCameraRenderer("cam-1", pose, STORE, 1).render(List.of(), T, 3).frame();
    assertThat(f.width()).isEqualTo(640);
    assertThat(f.height()).isEqualTo(480);
    assertThat(f.cameraId()).isEqualTo("cam-1");
    // the floor (lower middle) is not the ceiling (top middle): the image is not flat
    int floor = f.bgr()[(460 * 640 + 320) * 3 + 1] & 0xff;
    int ceiling = f.bgr()[(5 * 640 + 320) * 3 + 1] & 0xff;
    assertThat(Math.abs(floor - ceiling)).isGreaterThan(10);
  }

  @Test
  void groundTruthBoxContainsTheFiguresPixels() {
    // the upright sprite: its box is exactly the camera's standing box
    boxesHoldEveryChangedPixel(23, r -> CameraPoses.random(LAYOUT, r, 320, 240), 0.25, true);
  }

  @Test
  void footOfTheRenderedFigureMapsToItsFloorPositionThroughTheHomography() {
    Random r = new Random(5);
    int checked = 0;
    for (int round = 0; round < 60 && checked < 15; round++) {
      CameraPose pose = CameraPoses.random(LAYOUT, r, 640, 480);
      SimulatedCameraRenderer renderer = new SimulatedCameraRenderer("cam", pose, STORE, r.nextLong(),
          SimulatedCameraRenderer.Look.CLEAN);
      ShopperFigure f = randomFigures(r, 1).get(0);
      f = new ShopperFigure(f.id(), f.x(), f.y(), f.heightMetres(), f.widthMetres(), 0);
      RenderedFrame with = renderer.render(List.of(f), T, 0);
      if (with.persons().isEmpty() || with.persons().get(0).visibleFraction() < 0.999
          || with.persons().get(0).inImageFraction() < 0.999 || with.persons().get(0).box().h() < 40) {
        continue;
      }
      byte[] empty = renderer.render(List.of(), T, 0).frame().bgr();
      byte[] full = with.frame().bgr();
      int bottom = -1;
      for (int y = 479; y >= 0 && bottom < 0; y--) {
        for (int x = 0; x < 640; x++) {
          if (differs(full, empty, (y * 640 + x) * 3)) {
            bottom = y;
            break;
          }
        }
      }
      double sumU = 0;
      int n = 0;
      for (int y = bottom - 1; y <= bottom; y++) {
        for (int x = 0; x < 640; x++) {
          if (differs(full, empty, (y * 640 + x) * 3)) {
            sumU += x + 0.5;
            n++;
          }
        }
      }
      Homography toFloor = renderer.camera().imageToFloor();
      Point2 foot = toFloor.apply(new Point2(sumU / n, bottom + 1));
      assertThat(foot.distanceTo(new Point2(f.x(), f.y()))).as("foot from pixels, round %d", round).isLessThan(0.10);
      BoundingBox box = with.persons().get(0).box();
      Point2 fromBox = renderer.camera().calibration("cam").footOnFloor(box);
      assertThat(fromBox.x()).isCloseTo(f.x(), within(0.02));
      assertThat(fromBox.y()).isCloseTo(f.y(), within(0.02));
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(8);
  }

  @Test
  void shelvesHideShoppersBehindThemAndTheTruthSaysSo() {
    // a camera in the aisle, lower than the shelf, facing shelf a's first lane
    StoreLayout.Segment s = LAYOUT.segments().get(0);
    double bx = s.cx() - s.nx() * 0.6, by = s.cy() - s.ny() * 0.6; // behind that lane
    double cx = s.cx() + s.nx() * 2, cy = s.cy() + s.ny() * 2;
    CameraPose pose = CameraPoses.looking(cx, cy, 1.4, s.cx(), s.cy(), 150, 320, 240);
    SimulatedCameraRenderer renderer = new SimulatedCameraRenderer("cam", pose, STORE, 3);
    RenderedFrame hidden = renderer.render(List.of(new ShopperFigure("p", bx, by, 1.5, 0.5, 0)), T, 0);
    assertThat(hidden.persons()).hasSize(1);
    assertThat(hidden.persons().get(0).visibleFraction()).isLessThan(0.5);
    assertThat(hidden.clearlyVisible()).isEmpty();
    RenderedFrame inFront = renderer.render(List.of(ShopperFigure.standing("p", s.cx() + s.nx() * 0.8, s.cy() + s.ny() * 0.8)), T, 0);
    assertThat(inFront.persons().get(0).visibleFraction()).isGreaterThan(0.99);
  }

  @Test
  void fromAboveTheBoxHoldsEveryPixelOfTheBody() {
    // a body seen from above lies along the line from the image centre: diagonal ones fill less of the box
    boxesHoldEveryChangedPixel(31, r -> CameraPoses.randomOverhead(LAYOUT, r, 320, 240), 0.15, false);
  }

  /**
   * One figure per round under a random pose: no pixel it changes lies outside its ground-truth
   * box, and the changed pixels fill at least {@code minFill} of the box's visible share.
   */
  private static void boxesHoldEveryChangedPixel(long seed, java.util.function.Function<Random, CameraPose> poses,
      double minFill, boolean sprite) {
    Random r = new Random(seed);
    int checked = 0;
    for (int round = 0; round < 40; round++) {
      CameraPose pose = poses.apply(r);
      SimulatedCameraRenderer renderer = new SimulatedCameraRenderer("cam", pose, STORE, r.nextLong());
      ShopperFigure f = randomFigures(r, 1).get(0);
      RenderedFrame with = renderer.render(List.of(f), T, 0);
      if (with.persons().isEmpty() || with.persons().get(0).visibleFraction() < 0.3) {
        continue;
      }
      PersonTruth p = with.persons().get(0);
      if (sprite) {
        assertThat(p.box()).isEqualTo(
            renderer.camera().standingBox(f.x(), f.y(), f.widthMetres(), f.heightMetres()).orElseThrow());
      }
      int[] changed = changedPixels(renderer, with, p.box());
      assertThat(changed[1]).as("changed pixels outside the box, round %d", round).isZero();
      assertThat((double) changed[0]).as("figure pixels in its box, round %d", round)
          .isGreaterThan(minFill * p.box().area() * p.visibleFraction());
      checked++;
    }
    assertThat(checked).isGreaterThan(10);
  }

  @Test
  void underACeilingCameraTheBoxGivesTheShoppersFloorPosition() {
    List<CameraPose> grid = CameraPoses.overhead(LAYOUT, 320, 240);
    assertThat(grid).allSatisfy(p -> assertThat(p.pitchDegrees()).isEqualTo(90));
    Random r = new Random(9);
    int checked = 0;
    double worst = 0;
    for (int round = 0; round < 200; round++) {
      CameraPose pose = grid.get(r.nextInt(grid.size()));
      SimulatedCameraRenderer renderer = new SimulatedCameraRenderer("cam", pose, STORE, r.nextLong());
      // within the camera's cell, where it is placed to see shoppers whole
      double x = pose.x() + (r.nextDouble() - 0.5) * CameraPoses.OVERHEAD_CELL_X;
      double y = pose.y() + (r.nextDouble() - 0.5) * CameraPoses.OVERHEAD_CELL_Y;
      ShopperFigure f = SimulatedStoreScene.figure("s" + round, x, y, 0, r.nextLong());
      RenderedFrame with = renderer.render(List.of(f), T, 0);
      if (with.persons().isEmpty() || !with.persons().get(0).clearlyVisible()) {
        continue;
      }
      Point2 fromBox = renderer.camera().calibration("cam").footOnFloor(with.persons().get(0).box());
      worst = Math.max(worst, fromBox.distanceTo(new Point2(x, y)));
      checked++;
    }
    assertThat(checked).isGreaterThan(100);
    assertThat(worst).as("floor position from the box, worst of %d", checked).isLessThan(0.35);
  }

  /** Pixels the figure changed against the empty store, {inside its box (1 px slack), outside it}; 320x240. */
  private static int[] changedPixels(SimulatedCameraRenderer renderer, RenderedFrame with, BoundingBox box) {
    byte[] empty = renderer.render(List.of(), T, 0).frame().bgr();
    byte[] full = with.frame().bgr();
    int inside = 0, outside = 0;
    for (int y = 0; y < 240; y++) {
      for (int x = 0; x < 320; x++) {
        if (differs(full, empty, (y * 320 + x) * 3)) {
          if (x + 1 >= box.x() - 1 && x <= box.right() + 1 && y + 1 >= box.y() - 1 && y <= box.bottom() + 1) {
            inside++;
          } else {
            outside++;
          }
        }
      }
    }
    return new int[] {inside, outside};
  }

  private static boolean differs(byte[] a, byte[] b, int i) {
    return a[i] != b[i] || a[i + 1] != b[i + 1] || a[i + 2] != b[i + 2];
  }

  /** Figures on free floor, seeded. */
  static List<ShopperFigure> randomFigures(Random r, int n) {
    List<ShopperFigure> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double x, y;
      do {
        x = LAYOUT.minX() + r.nextDouble() * (LAYOUT.maxX() - LAYOUT.minX());
        y = LAYOUT.minY() + r.nextDouble() * (LAYOUT.maxY() - LAYOUT.minY());
      } while (!LAYOUT.walkable(x, y, 0.3));
      out.add(SimulatedStoreScene.figure("s" + i + "-" + r.nextInt(1000), x, y, r.nextBoolean() ? 0 : 1.2, r.nextLong()));
    }
    return out;
  }

}
