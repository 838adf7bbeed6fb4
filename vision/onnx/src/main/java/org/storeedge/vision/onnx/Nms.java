package org.storeedge.vision.onnx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy non-max suppression: best score first, a candidate is dropped when its IoU with a kept
 * one exceeds the threshold. Per class (only boxes of the same class suppress each other) or
 * class-agnostic. Pure function, thread-safe.
 */
public final class Nms {
  private Nms() {}

  /**
   * @param iouThreshold in [0, 1]; a candidate whose IoU with a kept box is above it is dropped
   * @param maxDetections at most this many are returned, best first
   */
  public static List<Candidate> apply(List<Candidate> candidates, float iouThreshold, boolean perClass, int maxDetections) {
    if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
      throw new IllegalArgumentException("NMS IoU threshold must be in [0, 1] (got: " + iouThreshold + ")");
    }
    List<Candidate> sorted = new ArrayList<>(candidates);
    sorted.sort(Comparator.comparingDouble(Candidate::score).reversed());
    List<Candidate> kept = new ArrayList<>();
    for (Candidate c : sorted) {
      if (kept.size() >= maxDetections) {
        break;
      }
      boolean suppressed = false;
      for (Candidate k : kept) {
        if ((!perClass || k.classIndex() == c.classIndex()) && k.iou(c) > iouThreshold) {
          suppressed = true;
          break;
        }
      }
      if (!suppressed) {
        kept.add(c);
      }
    }
    return kept;
  }
}
