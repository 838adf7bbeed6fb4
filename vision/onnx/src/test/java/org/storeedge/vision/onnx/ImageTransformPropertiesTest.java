package org.storeedge.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Letterbox and stretch placement: image -> model -> image is the identity. */
class ImageTransformPropertiesTest {
  private static final int TRIES = 1000;

  private static int in(Random r, int min, int max) {
    return min + r.nextInt(max - min + 1);
  }

  @Test
  void letterboxRoundTripsEveryImagePointForManySizes() {
    Random r = new Random(1);
    for (int i = 0; i < TRIES; i++) {
      letterboxRoundTripsEveryImagePoint(in(r, 1, 4000), in(r, 1, 4000), in(r, 32, 1280), r.nextDouble(), r.nextDouble());
    }
  }

  @Test
  void letterboxFillsOneAxisKeepsAspectAndCentresForManySizes() {
    Random r = new Random(2);
    for (int i = 0; i < TRIES; i++) {
      letterboxFillsOneAxisKeepsAspectAndCentres(in(r, 16, 4000), in(r, 16, 4000), in(r, 32, 1280), in(r, 32, 1280));
    }
  }

  @Test
  void stretchRoundTripsAndFillsTheInputForManySizes() {
    Random r = new Random(3);
    for (int i = 0; i < TRIES; i++) {
      stretchRoundTripsAndFillsTheInput(in(r, 1, 4000), in(r, 1, 4000), r.nextDouble());
    }
  }

  private static void letterboxRoundTripsEveryImagePoint(int srcW,
      int srcH, int dst,
      double fx, double fy) {
    ImageTransform t = ImageTransform.of(ImageTransform.Mode.LETTERBOX, srcW, srcH, dst, dst);
    double x = fx * srcW;
    double y = fy * srcH;
    double mx = t.toModelX(x);
    double my = t.toModelY(y);
    assertThat(mx).isBetween(-1e-9, (double) dst + 1e-9);
    assertThat(my).isBetween(-1e-9, (double) dst + 1e-9);
    assertThat(t.toImageX(mx)).isCloseTo(x, within(1e-6 * Math.max(1, srcW)));
    assertThat(t.toImageY(my)).isCloseTo(y, within(1e-6 * Math.max(1, srcH)));
  }

  private static void letterboxFillsOneAxisKeepsAspectAndCentres(int srcW,
      int srcH, int dstW,
      int dstH) {
    ImageTransform t = ImageTransform.of(ImageTransform.Mode.LETTERBOX, srcW, srcH, dstW, dstH);
    assertThat(t.scaledWidth() == dstW || t.scaledHeight() == dstH).isTrue();
    assertThat(t.padX() + t.scaledWidth() + t.padRight()).isEqualTo(dstW);
    assertThat(t.padY() + t.scaledHeight() + t.padBottom()).isEqualTo(dstH);
    assertThat(Math.abs(t.padRight() - t.padX())).isLessThanOrEqualTo(1);
    assertThat(Math.abs(t.padBottom() - t.padY())).isLessThanOrEqualTo(1);
    // rounding to whole pixels distorts the aspect ratio by at most one pixel per axis
    double s = Math.min((double) dstW / srcW, (double) dstH / srcH);
    assertThat((double) t.scaledWidth()).isCloseTo(srcW * s, within(1.0));
    assertThat((double) t.scaledHeight()).isCloseTo(srcH * s, within(1.0));
    // the image's corners land on the scaled image's corners
    assertThat(t.toModelX(srcW)).isCloseTo(t.padX() + t.scaledWidth(), within(1e-9));
    assertThat(t.toModelY(srcH)).isCloseTo(t.padY() + t.scaledHeight(), within(1e-9));
  }

  private static void stretchRoundTripsAndFillsTheInput(int srcW,
      int srcH, double fx) {
    ImageTransform t = ImageTransform.of(ImageTransform.Mode.STRETCH, srcW, srcH, 300, 300);
    assertThat(t.toModelX(srcW)).isCloseTo(300, within(1e-9));
    assertThat(t.toModelY(srcH)).isCloseTo(300, within(1e-9));
    assertThat(t.toImageX(t.toModelX(fx * srcW))).isCloseTo(fx * srcW, within(1e-6 * srcW));
  }

  @Test
  void wideImageIsPaddedTopAndBottom() {
    ImageTransform t = ImageTransform.of(ImageTransform.Mode.LETTERBOX, 640, 480, 640, 640);
    assertThat(t.padX()).isZero();
    assertThat(t.padY()).isEqualTo(80);
    assertThat(t.padBottom()).isEqualTo(80);
    assertThat(t.toImageY(80)).isZero();
    assertThat(t.toImageY(560)).isEqualTo(480);
  }
}
