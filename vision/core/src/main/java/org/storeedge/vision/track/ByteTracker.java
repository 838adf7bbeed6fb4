package org.storeedge.vision.track;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Detection;

/**
 * Multi-object tracker after ByteTrack (Zhang et al., 2022): a constant-velocity Kalman filter
 * per track and a two-stage association that also uses low-score detections, so a person who is
 * half hidden (low score) keeps their track instead of losing it.
 *
 * <pre>
 *  detections ──┬─ high (score >= highScore) ──► stage 1: all confirmed tracks, IoU (Hungarian)
 *               │                                 └ leftovers: centre-distance fallback
 *               └─ low  (lowScore..highScore) ──► stage 2: still-unmatched tracked tracks, IoU
 *  leftover high ─► stage 3: tentative tracks ─► confirmed after minHits consecutive hits
 *  leftover high >= newTrackScore ─► new tentative track
 *  confirmed, unmatched ─► LOST; removed after maxLostMillis / maxLostFrames
 * </pre>
 *
 * <p>Lost tracks are matched both at their predicted box and at the box where they were last
 * seen (a person who stopped behind an occluder reappears where they were).
 *
 * <p>Not thread-safe: one inference thread calls {@link #update} with non-decreasing capture
 * times.
 */
public final class ByteTracker {
  private final TrackerSettings s;
  private final List<KTrack> confirmed = new ArrayList<>();
  private final List<KTrack> tentative = new ArrayList<>();
  private long nextId = 1;
  private long lastMillis = Long.MIN_VALUE;
  private long removedCount;
  /** Looks of the current frame's detections (see {@link #update(List, List, long)}). */
  private Map<Detection, float[]> lookOf = Map.of();

  public ByteTracker(TrackerSettings settings) {
    this.s = settings;
  }

  public ByteTracker() {
    this(TrackerSettings.defaults());
  }

  public TrackerSettings settings() {
    return s;
  }

  /**
   * Feeds one frame's detections (all of one class; boxes in pixels) captured at
   * {@code captureMillis}. Returns the confirmed tracks after this frame, TRACKED and LOST, in
   * id order. A capture time earlier than the previous one is an {@link IllegalArgumentException}.
   */
  public List<Track> update(List<Detection> detections, long captureMillis) {
    return update(detections, null, captureMillis);
  }

  /**
   * As {@link #update(List, long)}, with what each detection looks like ({@link Appearance}; an
   * entry may be null, e.g. for a box lying mostly over another): a track is not matched to a
   * detection that clearly looks like someone else, and between two that fit its box about as well
   * it takes the one that looks like it. Two shoppers who meet in the picture keep their own ids
   * this way. {@code looks} null: boxes alone.
   */
  public List<Track> update(List<Detection> detections, List<float[]> looks, long captureMillis) {
    if (looks != null && looks.size() != detections.size()) {
      throw new IllegalArgumentException("one look per detection (got: " + looks.size() + " for "
          + detections.size() + ")");
    }
    if (captureMillis < lastMillis) {
      throw new IllegalArgumentException("tracker frames must not go back in time (got: " + captureMillis
          + " after " + lastMillis + ")");
    }
    lastMillis = captureMillis;
    for (KTrack t : confirmed) {
      t.predictTo(captureMillis);
    }
    for (KTrack t : tentative) {
      t.predictTo(captureMillis);
    }

    List<Detection> high = new ArrayList<>();
    List<Detection> low = new ArrayList<>();
    lookOf = new IdentityHashMap<>();
    for (int k = 0; k < detections.size(); k++) {
      Detection d = detections.get(k);
      if (looks != null && looks.get(k) != null) {
        lookOf.put(d, looks.get(k));
      }
      if (d.score() >= s.highScore()) {
        high.add(d);
      } else if (d.score() >= s.lowScore()) {
        low.add(d);
      }
    }
    boolean[] highUsed = new boolean[high.size()];

    // Stage 1: high detections against all confirmed tracks (tracked and lost).
    List<KTrack> unmatched = new ArrayList<>();
    int[] m1 = Assignment.solve(iouCost(confirmed, high, true), 1 - s.firstMatchIou());
    for (int i = 0; i < confirmed.size(); i++) {
      if (m1[i] >= 0) {
        confirmed.get(i).hit(high.get(m1[i]), captureMillis, lookOf.get(high.get(m1[i])));
        highUsed[m1[i]] = true;
      } else {
        unmatched.add(confirmed.get(i));
      }
    }
    unmatched = distanceFallback(unmatched, high, highUsed, captureMillis);

    // Stage 2: low detections against tracks that were tracked in the previous frame.
    List<KTrack> wasTracked = new ArrayList<>();
    List<KTrack> stillUnmatched = new ArrayList<>();
    for (KTrack t : unmatched) {
      (t.lostFrames == 0 ? wasTracked : stillUnmatched).add(t);
    }
    int[] m2 = Assignment.solve(iouCost(wasTracked, low, false), 1 - s.secondMatchIou());
    for (int i = 0; i < wasTracked.size(); i++) {
      if (m2[i] >= 0) {
        wasTracked.get(i).hit(low.get(m2[i]), captureMillis, lookOf.get(low.get(m2[i])));
      } else {
        stillUnmatched.add(wasTracked.get(i));
      }
    }
    for (KTrack t : stillUnmatched) {
      t.miss();
    }
    confirmed.removeIf(t -> {
      boolean gone = t.lostFrames > 0
          && (captureMillis - t.lastSeenMillis > s.maxLostMillis() || t.lostFrames > s.maxLostFrames());
      if (gone) {
        removedCount++;
      }
      return gone;
    });

    // Stage 3: tentative tracks against leftover high detections.
    List<Detection> leftHigh = new ArrayList<>();
    List<Integer> leftIdx = new ArrayList<>();
    for (int j = 0; j < high.size(); j++) {
      if (!highUsed[j]) {
        leftHigh.add(high.get(j));
        leftIdx.add(j);
      }
    }
    int[] m3 = Assignment.solve(iouCost(tentative, leftHigh, false), 1 - s.tentativeMatchIou());
    List<KTrack> tentUnmatched = new ArrayList<>();
    List<KTrack> survivors = new ArrayList<>();
    for (int i = 0; i < tentative.size(); i++) {
      KTrack t = tentative.get(i);
      if (m3[i] >= 0) {
        t.hit(leftHigh.get(m3[i]), captureMillis, lookOf.get(leftHigh.get(m3[i])));
        highUsed[leftIdx.get(m3[i])] = true;
        survivors.add(t);
      } else {
        tentUnmatched.add(t);
      }
    }
    List<KTrack> rescued = new ArrayList<>(tentUnmatched);
    rescued.removeAll(distanceFallback(tentUnmatched, high, highUsed, captureMillis));
    survivors.addAll(rescued);
    tentative.clear();
    for (KTrack t : survivors) {
      if (t.hits >= s.minHits()) {
        t.id = nextId++;
        confirmed.add(t);
      } else {
        tentative.add(t);
      }
    }

    // Births.
    for (int j = 0; j < high.size(); j++) {
      Detection d = high.get(j);
      if (!highUsed[j] && d.score() >= s.newTrackScore()) {
        KTrack t = new KTrack(d, captureMillis, s);
        float[] look = lookOf.get(d);
        if (look != null) {
          t.look = look.clone();
          t.lookSamples = 1;
        }
        if (s.minHits() <= 1) {
          t.id = nextId++;
          confirmed.add(t);
        } else {
          tentative.add(t);
        }
      }
    }

    List<Track> out = new ArrayList<>(confirmed.size());
    confirmed.sort(Comparator.comparingLong(t -> t.id));
    for (KTrack t : confirmed) {
      out.add(t.snapshot());
    }
    return out;
  }

  /** Tracks removed so far (lost for too long). */
  public long removedTracks() {
    return removedCount;
  }

  /** Ids handed out so far. */
  public long confirmedTracks() {
    return nextId - 1;
  }

  /**
   * Matches leftover tracks to leftover high detections by centre distance in box heights, gated
   * by how far a person can walk since the track was last seen. Returns the tracks still
   * unmatched.
   */
  private List<KTrack> distanceFallback(List<KTrack> tracks, List<Detection> high, boolean[] used, long now) {
    if (tracks.isEmpty() || s.maxSpeedHeightsPerSecond() <= 0) {
      return tracks;
    }
    List<Integer> cols = new ArrayList<>();
    for (int j = 0; j < high.size(); j++) {
      if (!used[j]) {
        cols.add(j);
      }
    }
    if (cols.isEmpty()) {
      return tracks;
    }
    double[][] cost = new double[tracks.size()][cols.size()];
    for (int i = 0; i < tracks.size(); i++) {
      KTrack t = tracks.get(i);
      BoundingBox p = t.filter.box();
      double h = Math.max(p.h(), 1);
      double gate = 0.5 + s.maxSpeedHeightsPerSecond() * Math.max(0, now - t.lastSeenMillis) / 1000.0;
      for (int c = 0; c < cols.size(); c++) {
        BoundingBox b = high.get(cols.get(c)).box();
        double ratio = b.h() / h;
        double dist = Math.min(Math.hypot(b.centreX() - p.centreX(), b.centreY() - p.centreY()),
            Math.hypot(b.centreX() - t.lastSeenBox.centreX(), b.centreY() - t.lastSeenBox.centreY())) / h;
        boolean ok = ratio > 0.67 && ratio < 1.5 && dist <= gate;
        cost[i][c] = ok ? dist / gate + lookPenalty(t, high.get(cols.get(c))) : 2;
      }
    }
    int[] m = Assignment.solve(cost, 1);
    List<KTrack> rest = new ArrayList<>();
    for (int i = 0; i < tracks.size(); i++) {
      if (m[i] >= 0) {
        int j = cols.get(m[i]);
        tracks.get(i).hit(high.get(j), now, lookOf.get(high.get(j)));
        used[j] = true;
      } else {
        rest.add(tracks.get(i));
      }
    }
    return rest;
  }

  /**
   * Added to a match's cost for how unlike the track the detection looks: 0 when either look is
   * unknown or they are alike, growing below {@link #LOOK_EVEN}, and more than any threshold below
   * {@link #LOOK_GATE} (one person seen in two frames scores above it almost always, two
   * neighbours below it about half the time).
   */
  private double lookPenalty(KTrack t, Detection d) {
    float[] look = lookOf.get(d);
    if (look == null || t.look == null || t.lookSamples < LOOK_MIN_SAMPLES) {
      return 0;
    }
    double sim = Appearance.similarity(t.look, look);
    return sim < LOOK_GATE ? 2 : LOOK_WEIGHT * Math.max(0, LOOK_EVEN - sim);
  }

  static final double LOOK_GATE = 0.5;
  static final double LOOK_EVEN = 0.8;
  static final double LOOK_WEIGHT = 1.0;
  static final int LOOK_MIN_SAMPLES = 3;
  static final double LOOK_RATE = 0.2;

  private double[][] iouCost(List<KTrack> tracks, List<Detection> dets, boolean useLastSeen) {
    double[][] cost = new double[tracks.size()][dets.size()];
    for (int i = 0; i < tracks.size(); i++) {
      KTrack t = tracks.get(i);
      BoundingBox p = t.filter.box();
      for (int j = 0; j < dets.size(); j++) {
        BoundingBox b = dets.get(j).box();
        double iou = p.iou(b);
        if (useLastSeen && t.lostFrames > 0) {
          iou = Math.max(iou, t.lastSeenBox.iou(b));
        }
        cost[i][j] = 1 - iou + lookPenalty(t, dets.get(j));
      }
    }
    return cost;
  }

  private static final class KTrack {
    final KalmanBoxFilter filter;
    long id;
    float score;
    int hits;
    int lostFrames;
    long predictedMillis;
    final long firstSeenMillis;
    long lastSeenMillis;
    BoundingBox lastSeenBox;
    float[] look;
    int lookSamples;

    KTrack(Detection d, long millis, TrackerSettings s) {
      filter = new KalmanBoxFilter(d.box(), s);
      score = d.score();
      hits = 1;
      predictedMillis = millis;
      firstSeenMillis = millis;
      lastSeenMillis = millis;
      lastSeenBox = d.box();
    }

    void predictTo(long millis) {
      filter.predict((millis - predictedMillis) / 1000.0);
      predictedMillis = millis;
    }

    void hit(Detection d, long millis, float[] seen) {
      if (seen != null) {
        if (look == null) {
          look = seen.clone();
        } else {
          Appearance.blend(look, seen, Math.max(LOOK_RATE, 1.0 / (lookSamples + 1)));
        }
        lookSamples++;
      }
      filter.update(d.box());
      score = d.score();
      hits++;
      lostFrames = 0;
      lastSeenMillis = millis;
      lastSeenBox = filter.box();
    }

    void miss() {
      lostFrames++;
    }

    Track snapshot() {
      return new Track(id, filter.box(), score, lostFrames == 0 ? Track.State.TRACKED : Track.State.LOST,
          firstSeenMillis, lastSeenMillis, lastSeenBox);
    }
  }
}
