package org.storeedge.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import org.storeedge.vision.Frame;

/**
 * Test frames that survive lossy coding (JPEG, H.264): the top half shows a frame counter (mod 256)
 * as 8 vertical stripes, white for a 1 bit, most significant first; the bottom half is a flat
 * colour, so a swapped channel order shows.
 */
final class CounterPattern {
  static final int WIDTH = 320;
  static final int HEIGHT = 240;
  /** bottom-half colour, B, G, R */
  static final int[] COLOUR = {40, 200, 90};

  private CounterPattern() {}

  /** BGR pixels, row after row without padding. */
  static byte[] bgr(int counter) {
    byte[] out = new byte[WIDTH * HEIGHT * 3];
    int stripe = WIDTH / 8;
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        int p = (y * WIDTH + x) * 3;
        if (y < HEIGHT / 2) {
          int bit = (counter >> (7 - x / stripe)) & 1;
          byte v = (byte) (bit == 1 ? 255 : 0);
          out[p] = v;
          out[p + 1] = v;
          out[p + 2] = v;
        } else {
          out[p] = (byte) COLOUR[0];
          out[p + 1] = (byte) COLOUR[1];
          out[p + 2] = (byte) COLOUR[2];
        }
      }
    }
    return out;
  }

  /** A JavaCV frame of {@link #bgr} for FFmpegFrameRecorder (record with AV_PIX_FMT_BGR24). */
  static org.bytedeco.javacv.Frame javacvFrame(int counter) {
    org.bytedeco.javacv.Frame f = new org.bytedeco.javacv.Frame(WIDTH, HEIGHT, org.bytedeco.javacv.Frame.DEPTH_UBYTE, 3);
    ByteBuffer b = (ByteBuffer) f.image[0];
    byte[] px = bgr(counter);
    int stride = f.imageStride;
    for (int y = 0; y < HEIGHT; y++) {
      b.position(y * stride);
      b.put(px, y * WIDTH * 3, WIDTH * 3);
    }
    b.rewind();
    return f;
  }

  /** The counter read back from a delivered frame: each stripe's inner area thresholded at mid grey. */
  static int counter(Frame f) {
    int stripe = f.width() / 8;
    int value = 0;
    for (int k = 0; k < 8; k++) {
      int mean = mean(f, k * stripe + stripe / 4, (k + 1) * stripe - stripe / 4, f.height() / 12,
          f.height() / 2 - f.height() / 12, 1);
      value = (value << 1) | (mean > 128 ? 1 : 0);
    }
    return value;
  }

  /** Whether the frame's stripes are clean black or white and its bottom half the expected colour. */
  static String problems(Frame f) {
    StringBuilder sb = new StringBuilder();
    if (f.width() != WIDTH || f.height() != HEIGHT) {
      sb.append("size ").append(f.width()).append('x').append(f.height()).append("; ");
      return sb.toString();
    }
    int stripe = WIDTH / 8;
    for (int k = 0; k < 8; k++) {
      int mean = mean(f, k * stripe + stripe / 4, (k + 1) * stripe - stripe / 4, HEIGHT / 12, HEIGHT / 2 - HEIGHT / 12, 1);
      if (mean > 60 && mean < 195) {
        sb.append("stripe ").append(k).append(" grey ").append(mean).append("; ");
      }
    }
    for (int c = 0; c < 3; c++) {
      int mean = mean(f, WIDTH / 8, WIDTH - WIDTH / 8, HEIGHT / 2 + HEIGHT / 8, HEIGHT - HEIGHT / 8, c);
      if (Math.abs(mean - COLOUR[c]) > 25) {
        sb.append("channel ").append(c).append(" mean ").append(mean).append(" not ").append(COLOUR[c]).append("; ");
      }
    }
    return sb.toString();
  }

  private static int mean(Frame f, int x0, int x1, int y0, int y1, int channel) {
    long sum = 0;
    int n = 0;
    byte[] px = f.bgr();
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        sum += px[(y * f.width() + x) * 3 + channel] & 0xff;
        n++;
      }
    }
    return (int) (sum / n);
  }

  /** Asserts that every frame carries a clean pattern (right size, stripes, channel order). */
  static void assertClean(List<Frame> frames) {
    for (Frame f : frames) {
      assertThat(problems(f)).as("frame %d", f.sequence()).isEmpty();
    }
  }
}
