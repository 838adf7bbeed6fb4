package org.storeedge.vision.track;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.storeedge.vision.BoundingBox;

/**
 * CLEAR MOT accuracy of a tracker against ground truth (Bernardin and Stiefelhagen, 2008), frame
 * by frame: a truth object keeps its hypothesis while their IoU stays at or above the threshold;
 * the rest are matched by Hungarian assignment on IoU; a truth object matched to a different
 * hypothesis id than the last time it was matched is an ID switch.
 *
 * <pre>MOTA = 1 - (FN + FP + IDSW) / truth objects summed over frames</pre>
 *
 * Not thread-safe.
 */
public final class TrackingMetrics {
  private final double minIou;
  private final Map<Long, Long> lastHypOfTruth = new HashMap<>();
  private long frames;
  private long truths;
  private long matches;
  private long falsePositives;
  private long falseNegatives;
  private long idSwitches;
  private double iouSum;

  /** One labelled box: a truth object or a tracker output. */
  public record LabelledBox(long id, BoundingBox box) {}

  public record Result(long frames, long truths, long matches, long falsePositives, long falseNegatives,
      long idSwitches, double mota, double motp) {
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT,
          "MOTA %.3f, MOTP(IoU) %.3f, IDSW %d, FP %d, FN %d, matches %d of %d truths over %d frames",
          mota, motp, idSwitches, falsePositives, falseNegatives, matches, truths, frames);
    }
  }

  public TrackingMetrics(double minIou) {
    if (!(minIou > 0 && minIou <= 1)) {
      throw new IllegalArgumentException("metrics minIou must be in (0, 1] (got: " + minIou + ")");
    }
    this.minIou = minIou;
  }

  /** The usual threshold, IoU &gt;= 0.5. */
  public TrackingMetrics() {
    this(0.5);
  }

  /** Adds one frame. Ids must be unique within each list. */
  public void addFrame(List<LabelledBox> truth, List<LabelledBox> hypotheses) {
    frames++;
    truths += truth.size();
    boolean[] truthDone = new boolean[truth.size()];
    long[] hypOfTruth = new long[truth.size()];
    boolean[] hypDone = new boolean[hypotheses.size()];
    Map<Long, Integer> hypIndex = new HashMap<>();
    Set<Long> truthIds = new HashSet<>();
    for (int j = 0; j < hypotheses.size(); j++) {
      if (hypIndex.put(hypotheses.get(j).id(), j) != null) {
        throw new IllegalArgumentException("hypothesis id " + hypotheses.get(j).id() + " twice in frame " + frames);
      }
    }
    for (LabelledBox t : truth) {
      if (!truthIds.add(t.id())) {
        throw new IllegalArgumentException("truth id " + t.id() + " twice in frame " + frames);
      }
    }
    // 1. keep last frame's correspondences that still overlap enough
    for (int i = 0; i < truth.size(); i++) {
      Long h = lastHypOfTruth.get(truth.get(i).id());
      Integer j = h == null ? null : hypIndex.get(h);
      if (j != null && !hypDone[j]) {
        double iou = truth.get(i).box().iou(hypotheses.get(j).box());
        if (iou >= minIou) {
          truthDone[i] = true;
          hypOfTruth[i] = h;
          hypDone[j] = true;
          matches++;
          iouSum += iou;
        }
      }
    }
    // 2. assign the rest
    List<Integer> ti = new ArrayList<>();
    List<Integer> hj = new ArrayList<>();
    for (int i = 0; i < truth.size(); i++) {
      if (!truthDone[i]) {
        ti.add(i);
      }
    }
    for (int j = 0; j < hypotheses.size(); j++) {
      if (!hypDone[j]) {
        hj.add(j);
      }
    }
    double[][] cost = new double[ti.size()][hj.size()];
    for (int a = 0; a < ti.size(); a++) {
      for (int b = 0; b < hj.size(); b++) {
        cost[a][b] = 1 - truth.get(ti.get(a)).box().iou(hypotheses.get(hj.get(b)).box());
      }
    }
    int[] m = Assignment.solve(cost, 1 - minIou + 1e-12);
    for (int a = 0; a < ti.size(); a++) {
      if (m[a] < 0) {
        continue;
      }
      LabelledBox t = truth.get(ti.get(a));
      LabelledBox h = hypotheses.get(hj.get(m[a]));
      double iou = t.box().iou(h.box());
      if (iou < minIou) {
        continue;
      }
      truthDone[ti.get(a)] = true;
      hypOfTruth[ti.get(a)] = h.id();
      hypDone[hj.get(m[a])] = true;
      matches++;
      iouSum += iou;
      Long previous = lastHypOfTruth.get(t.id());
      if (previous != null && previous != h.id()) {
        idSwitches++;
      }
    }
    for (int i = 0; i < truth.size(); i++) {
      if (!truthDone[i]) {
        falseNegatives++;
      }
    }
    for (int j = 0; j < hypotheses.size(); j++) {
      if (!hypDone[j]) {
        falsePositives++;
      }
    }
    for (int i = 0; i < truth.size(); i++) {
      if (truthDone[i]) {
        lastHypOfTruth.put(truth.get(i).id(), hypOfTruth[i]);
      }
    }
  }

  public Result result() {
    double mota = truths == 0 ? 1 : 1 - (double) (falseNegatives + falsePositives + idSwitches) / truths;
    double motp = matches == 0 ? 0 : iouSum / matches;
    return new Result(frames, truths, matches, falsePositives, falseNegatives, idSwitches, mota, motp);
  }
}
