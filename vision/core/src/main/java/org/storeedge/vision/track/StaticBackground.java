package org.storeedge.vision.track;

import java.util.List;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Frame;

/**
 * What a fixed camera sees when nobody is there: a running average of each pixel (on a grid of
 * every {@value #SCALE}th pixel) over the frames where no tracked person covers it. A pixel far
 * from it is foreground, part of a person or something they carry. With it a person's colours can
 * be read from their box without the floor and shelves around them (a box of a shopper at the edge
 * of a ceiling camera's view is mostly floor).
 *
 * <p>Starts from the first frame; a person standing in that frame fades out once they move away.
 * Slow light changes are followed at {@value #RATE} per frame. Not thread-safe: one camera's
 * inference thread.
 */
public final class StaticBackground {
  static final int SCALE = 2;
  static final double RATE = 0.05;
  /** Sum over the three channels of the difference from the background above which a pixel is foreground. */
  static final int FOREGROUND_DIFFERENCE = 60;
  /** Boxes are widened by this fraction each side before they hold the background still. */
  private static final double MARGIN = 0.1;

  private int width;
  private int height;
  private int cols;
  private int rows;
  private float[] mean;

  /** Learns from {@code frame} wherever none of {@code boxes} (widened a little) is. */
  public void update(Frame frame, List<BoundingBox> boxes) {
    if (mean == null || frame.width() != width || frame.height() != height) {
      width = frame.width();
      height = frame.height();
      cols = (width + SCALE - 1) / SCALE;
      rows = (height + SCALE - 1) / SCALE;
      mean = new float[cols * rows * 3];
      byte[] bgr = frame.bgr();
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          int i = ((r * SCALE) * width + c * SCALE) * 3;
          int j = (r * cols + c) * 3;
          for (int k = 0; k < 3; k++) {
            mean[j + k] = bgr[i + k] & 0xff;
          }
        }
      }
      return;
    }
    boolean[] held = new boolean[cols * rows];
    for (BoundingBox b : boxes) {
      int c0 = Math.max(0, (int) Math.floor((b.x() - MARGIN * b.w()) / SCALE));
      int c1 = Math.min(cols - 1, (int) Math.ceil((b.right() + MARGIN * b.w()) / SCALE));
      int r0 = Math.max(0, (int) Math.floor((b.y() - MARGIN * b.h()) / SCALE));
      int r1 = Math.min(rows - 1, (int) Math.ceil((b.bottom() + MARGIN * b.h()) / SCALE));
      for (int r = r0; r <= r1; r++) {
        for (int c = c0; c <= c1; c++) {
          held[r * cols + c] = true;
        }
      }
    }
    byte[] bgr = frame.bgr();
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        if (held[r * cols + c]) {
          continue;
        }
        int i = ((r * SCALE) * width + c * SCALE) * 3;
        int j = (r * cols + c) * 3;
        for (int k = 0; k < 3; k++) {
          mean[j + k] += (float) (RATE * ((bgr[i + k] & 0xff) - mean[j + k]));
        }
      }
    }
  }

  /** Whether pixel (x, y) of {@code frame} differs from the background (true before any frame was learnt). */
  public boolean foreground(Frame frame, int x, int y) {
    if (mean == null || frame.width() != width || frame.height() != height) {
      return true;
    }
    int j = ((y / SCALE) * cols + x / SCALE) * 3;
    int i = (y * width + x) * 3;
    byte[] bgr = frame.bgr();
    double d = 0;
    for (int k = 0; k < 3; k++) {
      d += Math.abs((bgr[i + k] & 0xff) - mean[j + k]);
    }
    return d > FOREGROUND_DIFFERENCE;
  }
}
