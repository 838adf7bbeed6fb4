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
 * <p>With looks ({@link #update(List, List, long)}): each track keeps what its person looks like,
 * left as it was while its box lies over another track's, and two tracks whose boxes met are
 * checked by those looks when they part: told apart by their clothes, they get their own ids back.
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
        t.pending = lookOf.get(d);
        if (s.minHits() <= 1) {
          t.id = nextId++;
          confirmed.add(t);
        } else {
          tentative.add(t);
        }
      }
    }

    repairSwaps(captureMillis);
    for (KTrack t : confirmed) {
      t.takeLook(!t.meets.isEmpty());
    }
    for (KTrack t : tentative) {
      t.takeLook(false);
    }

    List<Track> out = new ArrayList<>(confirmed.size());
    confirmed.sort(Comparator.comparingLong(t -> t.id));
    for (KTrack t : confirmed) {
      out.add(t.snapshot());
    }
    return out;
  }

  /**
   * Two people whose boxes overlap are matched by their boxes alone while they do (no look can be
   * read of one mostly hidden), and a tracker often leaves them with each other's ids when they
   * part: the one who walked on takes the id of the one who kept going the way the other came.
   * So each pair of tracks whose boxes met is checked again the first frame both are seen apart
   * with their looks: when their looks from before they met fit the two people the other way
   * round clearly better ({@link #SWAP_MARGIN}), the tracks exchange ids and looks. While a track's
   * box lies over another's, its look is left as it was before they met.
   */
  private void repairSwaps(long now) {
    for (KTrack a : confirmed) {
      for (KTrack b : confirmed) {
        if (a.id < b.id && sharesMuch(a.filter.box(), b.filter.box())) {
          a.meets.put(b, now);
          b.meets.put(a, now);
        }
      }
    }
    for (KTrack a : confirmed) {
      for (java.util.Iterator<Map.Entry<KTrack, Long>> it = a.meets.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<KTrack, Long> e = it.next();
        KTrack b = e.getKey();
        if (!confirmed.contains(b) || now - e.getValue() > MEET_MEMORY_MILLIS) {
          it.remove();
          continue;
        }
        if (e.getValue() == now || a.id > b.id) {
          continue; // still together, or the pair is handled from its other side
        }
        if (a.pending == null || b.pending == null || a.look == null || b.look == null
            || a.lookSamples < LOOK_MIN_SAMPLES || b.lookSamples < LOOK_MIN_SAMPLES) {
          continue; // wait for a frame with both looks
        }
        double kept = Appearance.similarity(a.look, a.pending) + Appearance.similarity(b.look, b.pending);
        double swapped = Appearance.similarity(a.look, b.pending) + Appearance.similarity(b.look, a.pending);
        if (swapped > kept + SWAP_MARGIN) {
          a.exchangeIdentity(b);
          swapsRepaired++;
        }
        it.remove();
        b.meets.remove(a);
      }
    }
  }

  /** Whether two boxes share more than {@link #MEET_SHARE} of the smaller one. */
  private static boolean sharesMuch(BoundingBox a, BoundingBox b) {
    return a.sharedArea(b) > MEET_SHARE * Math.min(a.area(), b.area());
  }

  /** Boxes sharing more than this fraction of the smaller one have met. */
  static final double MEET_SHARE = 0.2;
  /** A pair that met is checked within this long after they were last together. */
  static final long MEET_MEMORY_MILLIS = 3000;
  /**
   * How much better (in summed similarity, 0..2) the exchanged fit must be. One person's look
   * from frame to frame scores about 0.9 or more; two people in clothes as alike as 0.8 gain
   * 0.2 at most from an exchange, so only people told apart by their clothes are exchanged.
   */
  static final double SWAP_MARGIN = 0.3;

  private volatile long swapsRepaired;

  /** Pairs of tracks given back each other's ids after they met and parted (readable from any thread). */
  public long swapsRepaired() {
    return swapsRepaired;
  }

  /** A copy of what confirmed track {@code id}'s person looks like, or null when not known. */
  public float[] lookOf(long id) {
    KTrack t = confirmedTrack(id);
    return t == null || t.look == null ? null : t.look.clone();
  }

  /** Frames the look of confirmed track {@code id} is made of (0 when none). */
  public int lookSamples(long id) {
    KTrack t = confirmedTrack(id);
    return t == null || t.look == null ? 0 : t.lookSamples;
  }

  private KTrack confirmedTrack(long id) {
    for (KTrack t : confirmed) {
      if (t.id == id) {
        return t;
      }
    }
    return null;
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
    long firstSeenMillis;
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

    /** This frame's look of the matched detection, blended in by {@link #takeLook} after the swap check. */
    float[] pending;
    /** Tracks whose boxes met this one's, with when they were last together. */
    final Map<KTrack, Long> meets = new IdentityHashMap<>();

    void hit(Detection d, long millis, float[] seen) {
      pending = seen;
      filter.update(d.box());
      score = d.score();
      hits++;
      lostFrames = 0;
      lastSeenMillis = millis;
      lastSeenBox = filter.box();
    }

    void miss() {
      lostFrames++;
      pending = null;
    }

    /** Blends this frame's look in, unless {@code together} (its box lies over another's). */
    void takeLook(boolean together) {
      float[] seen = pending;
      pending = null;
      if (seen == null || together && look != null) {
        return;
      }
      if (look == null) {
        look = seen.clone();
      } else {
        Appearance.blend(look, seen, Math.max(LOOK_RATE, 1.0 / (lookSamples + 1)));
      }
      lookSamples++;
    }

    /** Exchanges who this track and {@code o} are (id, first sighting, look); motion stays with the boxes. */
    void exchangeIdentity(KTrack o) {
      long id0 = id;
      id = o.id;
      o.id = id0;
      float[] look0 = look;
      look = o.look;
      o.look = look0;
      int samples0 = lookSamples;
      lookSamples = o.lookSamples;
      o.lookSamples = samples0;
      long first0 = firstSeenMillis;
      firstSeenMillis = o.firstSeenMillis;
      o.firstSeenMillis = first0;
    }

    Track snapshot() {
      return new Track(id, filter.box(), score, lostFrames == 0 ? Track.State.TRACKED : Track.State.LOST,
          firstSeenMillis, lastSeenMillis, lastSeenBox);
    }
  }
}
