package org.storeedge.vision.track;

import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Frame;

/**
 * What a person's clothing looks like in one camera: a colour histogram of the middle of their box
 * (no faces, no shapes; seen from above this is mostly shoulders, back and hair). Built to tell
 * neighbours apart when a shopper walks from one camera's view into another's, not to recognise
 * anybody: it is kept only while the shopper is in the store, in memory, and never leaves the
 * gateway.
 *
 * <p>Bins: rg chromaticity (r / (r + g + b), g / (r + g + b)) on a {@value #CHROMA_BINS} x
 * {@value #CHROMA_BINS} grid for coloured pixels, {@value #GREY_BINS} brightness bins for grey ones
 * (white, grey and black clothes have one chromaticity), and one bin for pixels too dark to have a
 * colour. Chromaticity does not move with a camera's gain or exposure, and the coarse grid absorbs
 * the small colour cast of one camera against another. Histograms are normalised to sum 1.
 */
public final class Appearance {
  static final int CHROMA_BINS = 8;
  static final int GREY_BINS = 3;
  /** Bins of a histogram. */
  public static final int SIZE = CHROMA_BINS * CHROMA_BINS + GREY_BINS + 1;
  /** A pixel whose r + g + b is below this has no reliable colour. */
  private static final int DARK_SUM = 90;
  /** Chromaticity this close to (1/3, 1/3) is grey. */
  private static final double GREY_RADIUS = 0.045;
  /** Fraction of the box cut off each side before sampling (background, neighbours' edges). */
  private static final double INSET = 0.2;
  /** The same, when only pixels that differ from the background are taken. */
  private static final double BACKGROUND_INSET = 0.05;
  /** Fewest pixels a histogram is built from; a smaller box gives none. */
  private static final int MIN_PIXELS = 30;

  private Appearance() {}

  /** The histogram of {@code box} in {@code frame}, or null when too little of it is in the picture. */
  public static float[] of(Frame frame, BoundingBox box) {
    return of(frame, box, null);
  }

  /**
   * The histogram of the pixels of {@code box} that differ from {@code background} (all of them
   * when it is null), or null when too few do.
   */
  public static float[] of(Frame frame, BoundingBox box, StaticBackground background) {
    return of(frame, box, background, java.util.List.of());
  }

  /**
   * As {@link #of(Frame, BoundingBox, StaticBackground)}, leaving out the pixels that also lie in
   * one of {@code others} (neighbours whose boxes overlap this one: whose colours those are is not
   * known).
   */
  public static float[] of(Frame frame, BoundingBox box, StaticBackground background,
      java.util.List<BoundingBox> others) {
    double inset = background == null ? INSET : BACKGROUND_INSET;
    int x0 = (int) Math.max(0, Math.floor(box.x() + inset * box.w()));
    int x1 = (int) Math.min(frame.width(), Math.ceil(box.right() - inset * box.w()));
    int y0 = (int) Math.max(0, Math.floor(box.y() + inset * box.h()));
    int y1 = (int) Math.min(frame.height(), Math.ceil(box.bottom() - inset * box.h()));
    if (x1 <= x0 || y1 <= y0 || (x1 - x0) * (y1 - y0) < MIN_PIXELS) {
      return null;
    }
    float[] h = new float[SIZE];
    byte[] bgr = frame.bgr();
    int n = 0;
    for (int y = y0; y < y1; y++) {
      int row = y * frame.width();
      for (int x = x0; x < x1; x++) {
        if (background != null && !background.foreground(frame, x, y) || inAny(others, x, y)) {
          continue;
        }
        int i = (row + x) * 3;
        h[bin(bgr[i + 2] & 0xff, bgr[i + 1] & 0xff, bgr[i] & 0xff)]++;
        n++;
      }
    }
    if (n < MIN_PIXELS) {
      return null;
    }
    for (int i = 0; i < SIZE; i++) {
      h[i] /= n;
    }
    return h;
  }

  private static boolean inAny(java.util.List<BoundingBox> boxes, int x, int y) {
    for (BoundingBox b : boxes) {
      if (x >= b.x() && x < b.right() && y >= b.y() && y < b.bottom()) {
        return true;
      }
    }
    return false;
  }

  static int bin(int r, int g, int b) {
    int s = r + g + b;
    if (s < DARK_SUM) {
      return SIZE - 1;
    }
    double rn = (double) r / s;
    double gn = (double) g / s;
    if (Math.hypot(rn - 1.0 / 3, gn - 1.0 / 3) < GREY_RADIUS) {
      return CHROMA_BINS * CHROMA_BINS + Math.min(GREY_BINS - 1, (s - DARK_SUM) * GREY_BINS / (3 * 255 - DARK_SUM + 1));
    }
    int ri = Math.min(CHROMA_BINS - 1, (int) (rn * CHROMA_BINS));
    int gi = Math.min(CHROMA_BINS - 1, (int) (gn * CHROMA_BINS));
    return ri * CHROMA_BINS + gi;
  }

  /** Bhattacharyya coefficient of two histograms: 1 for the same colours, 0 for none in common. */
  public static double similarity(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += Math.sqrt((double) a[i] * b[i]);
    }
    return Math.min(1, s);
  }

  /** {@code into} moved towards {@code sample} by {@code rate} (an exponential average). */
  public static void blend(float[] into, float[] sample, double rate) {
    for (int i = 0; i < into.length; i++) {
      into[i] = (float) ((1 - rate) * into[i] + rate * sample[i]);
    }
  }
}
