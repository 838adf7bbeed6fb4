package org.storeedge.runtime.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.storeedge.simulator.camera.PersonTruth;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Detection;
import org.storeedge.vision.track.Assignment;
import org.storeedge.vision.track.Track;
import org.storeedge.vision.track.TrackingMetrics;
import org.storeedge.vision.track.TrackingMetrics.LabelledBox;

/**
 * CLEAR MOT accuracy of one camera's tracker output against the renderer's ground truth, frame
 * by frame, at IoU &gt;= {@value #MIN_IOU}.
 *
 * <p>Which truths count: a person {@link PersonTruth#clearlyVisible()} in the frame (at least half
 * of the figure visible, at least 60% inside the image, at least 8% of the image height tall,
 * the same rule as the detector's training labels). A person in view but not clearly visible is
 * "don't care": a hypothesis on it (assigned to it by a first Hungarian pass on IoU over all
 * persons in view) is dropped from the frame instead of counting as a false positive, and the
 * person is neither a miss nor a match in that frame. Its identity still carries over: when it
 * is counted again and matched to another track id, that is an ID switch.
 *
 * <p>MOTA, MOTP, FP, FN and ID switches come from {@link TrackingMetrics}. Fragmentations and
 * mostly tracked / mostly lost come from a second matcher here that repeats TrackingMetrics'
 * matching (keep last frame's pair while IoU holds, then Hungarian); {@link #consistent()} says
 * whether the two agreed on every count. A fragmentation is a truth object matched again after
 * one or more counted frames in which it was not matched (py-motmetrics' definition); an object
 * is mostly tracked when matched in at least 80% of its counted frames, mostly lost under 20%.
 *
 * <p>Hypotheses are the tracker's TRACKED tracks (a LOST track's predicted box is not an output).
 * Not thread-safe.
 */
public final class TrackingScore {
  public static final double MIN_IOU = 0.5;

  private final TrackingMetrics metrics = new TrackingMetrics(MIN_IOU);
  private final Map<String, Long> ids = new HashMap<>();
  private final Map<Long, Long> lastHypOfTruth = new HashMap<>();
  private final Map<Long, Long> lastTruthOfHyp = new HashMap<>();
  private final Map<Long, long[]> framesOfTruth = new HashMap<>(); // counted, matched
  private final Set<Long> missedSinceMatch = new HashSet<>();
  private long matches;
  private long idSwitches;
  private long transfers;
  private long returns;
  private long fragmentations;
  private long dontCareHypotheses;
  private long nextDetectionId = -1;

  /**
   * Totals over one or more sequences.
   *
   * @param frames camera frames scored
   * @param truths counted truth boxes summed over frames
   * @param matches truth boxes matched to a hypothesis
   * @param falsePositives hypotheses matched to no counted truth (don't-care ones excluded)
   * @param falseNegatives counted truth boxes not matched
   * @param idSwitches matched to another track id than at the object's previous match
   * @param transfers the ID switches whose new track id had last been matched to another person:
   *     an identity carried over from one shopper to another (the crossing failure)
   * @param returns the ID switches back to a track id this person had before and no one else had
   *     since: two tracks on one person taking turns. The remaining switches
   *     ({@code idSwitches - transfers - returns}) are a person picked up under a new id, usually
   *     after its track was lost
   * @param fragmentations an object matched again after being missed
   * @param objects distinct truth objects counted in at least one frame
   * @param mostlyTracked objects matched in at least 80% of their counted frames
   * @param mostlyLost objects matched in under 20% of their counted frames
   * @param iouSum sum of the matched pairs' IoU (MOTP = iouSum / matches)
   * @param dontCareHypotheses hypotheses dropped because they were on a person not clearly visible
   */
  public record Summary(long frames, long truths, long matches, long falsePositives, long falseNegatives,
      long idSwitches, long transfers, long returns, long fragmentations, long objects, long mostlyTracked,
      long mostlyLost, double iouSum, long dontCareHypotheses) {

    public static final Summary EMPTY = new Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** 1 - (FN + FP + IDSW) / truths; 1 when nothing was counted. */
    public double mota() {
      return truths == 0 ? 1 : 1 - (double) (falseNegatives + falsePositives + idSwitches) / truths;
    }

    /** Mean IoU of the matched pairs; 0 without matches. */
    public double motp() {
      return matches == 0 ? 0 : iouSum / matches;
    }

    public Summary plus(Summary o) {
      return new Summary(frames + o.frames, truths + o.truths, matches + o.matches, falsePositives + o.falsePositives,
          falseNegatives + o.falseNegatives, idSwitches + o.idSwitches, transfers + o.transfers, returns + o.returns,
          fragmentations + o.fragmentations, objects + o.objects, mostlyTracked + o.mostlyTracked, mostlyLost + o.mostlyLost, iouSum + o.iouSum,
          dontCareHypotheses + o.dontCareHypotheses);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "MOTA %.3f, MOTP %.3f, IDSW %d (transfers %d, returns %d), Frag %d, FP %d, "
          + "FN %d, matched %d of %d truths over %d frames, objects %d (MT %d, ML %d)", mota(), motp(), idSwitches,
          transfers, returns, fragmentations, falsePositives, falseNegatives, matches, truths, frames, objects, mostlyTracked, mostlyLost);
    }
  }

  /** Scores one frame: the renderer's persons in view and the tracker's output for that frame. */
  public void addFrame(List<PersonTruth> persons, List<Track> tracks) {
    List<LabelledBox> hyps = new ArrayList<>();
    for (Track t : tracks) {
      if (t.visible()) {
        hyps.add(new LabelledBox(t.id(), t.box()));
      }
    }
    addHypotheses(persons, hyps);
  }

  /**
   * Scores one frame of plain detections, each a hypothesis of its own: FP and FN are then the
   * detector's (ID switches and fragmentations mean nothing).
   */
  public void addDetections(List<PersonTruth> persons, List<Detection> detections) {
    List<LabelledBox> hyps = new ArrayList<>();
    for (Detection d : detections) {
      hyps.add(new LabelledBox(nextDetectionId--, d.box()));
    }
    addHypotheses(persons, hyps);
  }

  private void addHypotheses(List<PersonTruth> persons, List<LabelledBox> hyps) {
    List<LabelledBox> counted = new ArrayList<>();
    List<LabelledBox> dontCare = new ArrayList<>();
    for (PersonTruth p : persons) {
      LabelledBox b = new LabelledBox(ids.computeIfAbsent(p.id(), k -> (long) ids.size() + 1), p.box());
      (p.clearlyVisible() ? counted : dontCare).add(b);
    }
    addFrame(counted, dontCare, hyps);
  }

  /**
   * Scores one frame given as boxes: {@code counted} truths, {@code dontCare} truths (in view,
   * not clearly visible) and hypotheses. Ids must be unique within each list; a truth id names
   * the same object across frames whether counted or don't-care.
   */
  public void addFrame(List<LabelledBox> counted, List<LabelledBox> dontCare, List<LabelledBox> hypotheses) {
    List<LabelledBox> hyps = hypotheses;
    if (!dontCare.isEmpty() && !hypotheses.isEmpty()) {
      List<LabelledBox> all = new ArrayList<>(counted);
      all.addAll(dontCare);
      int[] m = Assignment.solve(cost(hypotheses, all), 1 - MIN_IOU + 1e-12);
      hyps = new ArrayList<>();
      for (int j = 0; j < hypotheses.size(); j++) {
        if (m[j] >= counted.size() && hypotheses.get(j).box().iou(all.get(m[j]).box()) >= MIN_IOU) {
          dontCareHypotheses++;
        } else {
          hyps.add(hypotheses.get(j));
        }
      }
    }
    metrics.addFrame(counted, hyps);
    mirror(counted, hyps);
  }

  /** The same matching as {@link TrackingMetrics#addFrame}, for fragmentations and per-object coverage. */
  private void mirror(List<LabelledBox> truth, List<LabelledBox> hyps) {
    Map<Long, Integer> hypIndex = new HashMap<>();
    for (int j = 0; j < hyps.size(); j++) {
      hypIndex.put(hyps.get(j).id(), j);
    }
    boolean[] hypDone = new boolean[hyps.size()];
    Long[] hypOfTruth = new Long[truth.size()];
    for (int i = 0; i < truth.size(); i++) {
      Long h = lastHypOfTruth.get(truth.get(i).id());
      Integer j = h == null ? null : hypIndex.get(h);
      if (j != null && !hypDone[j] && truth.get(i).box().iou(hyps.get(j).box()) >= MIN_IOU) {
        hypOfTruth[i] = h;
        hypDone[j] = true;
      }
    }
    List<Integer> ti = new ArrayList<>();
    List<LabelledBox> restT = new ArrayList<>();
    for (int i = 0; i < truth.size(); i++) {
      if (hypOfTruth[i] == null) {
        ti.add(i);
        restT.add(truth.get(i));
      }
    }
    List<Integer> hj = new ArrayList<>();
    List<LabelledBox> restH = new ArrayList<>();
    for (int j = 0; j < hyps.size(); j++) {
      if (!hypDone[j]) {
        hj.add(j);
        restH.add(hyps.get(j));
      }
    }
    int[] m = Assignment.solve(cost(restT, restH), 1 - MIN_IOU + 1e-12);
    for (int a = 0; a < restT.size(); a++) {
      if (m[a] >= 0 && restT.get(a).box().iou(restH.get(m[a]).box()) >= MIN_IOU) {
        long h = restH.get(m[a]).id();
        Long previous = lastHypOfTruth.get(restT.get(a).id());
        Long before = lastTruthOfHyp.get(h);
        if (previous != null && previous != h) {
          idSwitches++;
          if (before != null && before != restT.get(a).id()) {
            transfers++;
          } else if (before != null) {
            returns++;
          }
        }
        hypOfTruth[ti.get(a)] = h;
        hypDone[hj.get(m[a])] = true;
      }
    }
    for (int i = 0; i < truth.size(); i++) {
      long id = truth.get(i).id();
      long[] f = framesOfTruth.computeIfAbsent(id, k -> new long[2]);
      f[0]++;
      if (hypOfTruth[i] != null) {
        matches++;
        f[1]++;
        if (missedSinceMatch.remove(id)) {
          fragmentations++;
        }
        lastHypOfTruth.put(id, hypOfTruth[i]);
        lastTruthOfHyp.put(hypOfTruth[i], id);
      } else if (lastHypOfTruth.containsKey(id)) {
        missedSinceMatch.add(id);
      }
    }
  }

  private static double[][] cost(List<LabelledBox> rows, List<LabelledBox> cols) {
    double[][] c = new double[rows.size()][cols.size()];
    for (int i = 0; i < rows.size(); i++) {
      BoundingBox r = rows.get(i).box();
      for (int j = 0; j < cols.size(); j++) {
        c[i][j] = 1 - r.iou(cols.get(j).box());
      }
    }
    return c;
  }

  /** True when the fragmentation matcher agreed with TrackingMetrics on matches and ID switches. */
  public boolean consistent() {
    TrackingMetrics.Result r = metrics.result();
    return r.matches() == matches && r.idSwitches() == idSwitches;
  }

  /**
   * Frames in which each person was matched, by {@link PersonTruth#id()} (persons scored through
   * {@link #addFrame(List, List)} only), including persons never matched.
   */
  public Map<String, Long> matchedFramesByPerson() {
    return framesByPerson(1);
  }

  /** Frames in which each person counted (clearly visible), keyed as {@link #matchedFramesByPerson}. */
  public Map<String, Long> countedFramesByPerson() {
    return framesByPerson(0);
  }

  private Map<String, Long> framesByPerson(int which) {
    Map<String, Long> out = new java.util.TreeMap<>();
    ids.forEach((name, id) -> {
      long[] f = framesOfTruth.get(id);
      out.put(name, f == null ? 0 : f[which]);
    });
    return out;
  }

  public Summary summary() {
    TrackingMetrics.Result r = metrics.result();
    long mt = 0;
    long ml = 0;
    for (long[] f : framesOfTruth.values()) {
      double ratio = (double) f[1] / f[0];
      if (ratio >= 0.8) {
        mt++;
      } else if (ratio < 0.2) {
        ml++;
      }
    }
    return new Summary(r.frames(), r.truths(), r.matches(), r.falsePositives(), r.falseNegatives(), r.idSwitches(),
        transfers, returns, fragmentations, framesOfTruth.size(), mt, ml, r.motp() * r.matches(), dontCareHypotheses);
  }
}
