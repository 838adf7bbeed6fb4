package org.storeedge.vision.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Frame;

class AppearanceTest {
  private static final int W = 160;
  private static final int H = 120;
  private static final BoundingBox BOX = new BoundingBox(60, 30, 40, 60);

  /** A tiled floor (two greys) with a shopper: a shirt colour on the box's middle, hair on top. */
  private static Frame scene(int[] shirt, int[] hair, double gain, double[] cast, long seed, boolean shopper) {
    byte[] bgr = new byte[W * H * 3];
    Random r = new Random(seed);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int[] rgb = ((x / 10 + y / 10) % 2 == 0) ? new int[] {150, 160, 140} : new int[] {120, 130, 112};
        // the figure lies in one side of its box, as near the edge of a ceiling camera's view;
        // the rest of the box is floor
        if (shopper && x >= 64 && x < 86 && y >= 34 && y < 74) {
          rgb = y < 44 && x >= 70 && x < 80 ? hair : shirt;
        }
        for (int c = 0; c < 3; c++) {
          double v = rgb[c] * gain * cast[c] + r.nextGaussian() * 3;
          bgr[(y * W + x) * 3 + 2 - c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
    return new Frame("cam", 0, seed, W, H, bgr);
  }

  private static final double[] NEUTRAL = {1, 1, 1};
  private static final int[] RED = {180, 40, 40};
  private static final int[] BLUE = {40, 60, 170};
  private static final int[] BROWN = {80, 55, 35};

  /** The look of a shopper in a camera of this gain and cast that has learnt its empty floor. */
  private static float[] look(int[] shirt, int[] hair, double gain, double[] cast, long seed) {
    StaticBackground bg = new StaticBackground();
    for (long i = 0; i < 20; i++) {
      bg.update(scene(shirt, hair, gain, cast, seed * 1000 + i, false), List.of());
    }
    return Appearance.of(scene(shirt, hair, gain, cast, seed, true), BOX, bg);
  }

  @Test
  void oneShirtUnderAnotherCamerasGainAndCastLooksTheSameAndAnotherShirtDoesNot() {
    float[] a = look(RED, BROWN, 1.0, NEUTRAL, 1);
    float[] sameOtherCamera = look(RED, BROWN, 0.8, new double[] {1.04, 0.97, 0.95}, 2);
    float[] blue = look(BLUE, BROWN, 1.0, NEUTRAL, 3);
    assertThat(Appearance.similarity(a, sameOtherCamera)).isGreaterThan(0.9);
    assertThat(Appearance.similarity(a, blue)).isLessThan(0.5);
    assertThat(Appearance.similarity(a, a)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void whiteGreyAndBlackClothesAreToldApartThoughTheyHaveOneChromaticity() {
    float[] white = look(new int[] {235, 235, 232}, BROWN, 1.0, NEUTRAL, 4);
    float[] grey = look(new int[] {70, 70, 72}, BROWN, 1.0, NEUTRAL, 5);
    float[] black = look(new int[] {22, 22, 24}, BROWN, 1.0, NEUTRAL, 6);
    assertThat(Appearance.similarity(white, black)).isLessThan(0.5);
    assertThat(Appearance.similarity(white, grey)).isLessThan(0.6);
    assertThat(Appearance.similarity(grey, black)).isLessThan(0.6);
  }

  @Test
  void theBackgroundLeavesOnlyThePersonsPixelsInTheLook() {
    StaticBackground bg = new StaticBackground();
    for (long i = 0; i < 40; i++) {
      bg.update(scene(RED, BROWN, 1.0, NEUTRAL, 100 + i, false), List.of());
    }
    Frame withShopper = scene(RED, BROWN, 1.0, NEUTRAL, 200, true);
    assertThat(bg.foreground(withShopper, 75, 60)).as("the shirt").isTrue();
    assertThat(bg.foreground(withShopper, 95, 85)).as("floor inside the box").isFalse();
    assertThat(bg.foreground(withShopper, 10, 10)).as("floor outside").isFalse();
    float[] bare = Appearance.of(withShopper, BOX);
    float[] masked = Appearance.of(withShopper, BOX, bg);
    // the shirt alone: nearly all of the masked look is the shirt's bin
    float[] shirtOnly = new float[Appearance.SIZE];
    shirtOnly[Appearance.bin(RED[0], RED[1], RED[2])] = 1;
    assertThat(Appearance.similarity(masked, shirtOnly)).isGreaterThan(0.9);
    assertThat(Appearance.similarity(bare, shirtOnly)).isLessThan(Appearance.similarity(masked, shirtOnly));
  }

  @Test
  void aShopperStandingStillInTheirBoxIsNotLearntIntoTheBackground() {
    StaticBackground bg = new StaticBackground();
    bg.update(scene(RED, BROWN, 1.0, NEUTRAL, 1, false), List.of());
    for (long i = 0; i < 200; i++) {
      bg.update(scene(RED, BROWN, 1.0, NEUTRAL, 10 + i, true), List.of(BOX));
    }
    assertThat(bg.foreground(scene(RED, BROWN, 1.0, NEUTRAL, 999, true), 75, 60)).isTrue();
    // without the box holding it still, the standing shopper fades into the background
    StaticBackground unheld = new StaticBackground();
    unheld.update(scene(RED, BROWN, 1.0, NEUTRAL, 1, false), List.of());
    for (long i = 0; i < 200; i++) {
      unheld.update(scene(RED, BROWN, 1.0, NEUTRAL, 10 + i, true), List.of());
    }
    assertThat(unheld.foreground(scene(RED, BROWN, 1.0, NEUTRAL, 999, true), 75, 60)).isFalse();
  }

  @Test
  void aBoxMostlyOutOfThePictureOrWithoutForegroundHasNoLook() {
    Frame f = scene(RED, BROWN, 1.0, NEUTRAL, 1, true);
    assertThat(Appearance.of(f, new BoundingBox(155, 115, 40, 60))).isNull();
    StaticBackground bg = new StaticBackground();
    bg.update(scene(RED, BROWN, 1.0, NEUTRAL, 2, false), List.of());
    assertThat(Appearance.of(scene(RED, BROWN, 1.0, NEUTRAL, 3, false), BOX, bg)).as("nobody there").isNull();
  }
}
