package org.storeedge.vision.interaction;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.storeedge.core.event.GateEvent;
import org.storeedge.core.event.ShopperObservation;
import org.storeedge.vision.track.Appearance;

/**
 * Keeps a shopper's customer token across track breaks and across cameras. The {@link TokenBinder}
 * binds a token to the one track that was at the gate at check-in; when that track is lost (an
 * occlusion longer than the tracker's patience) the shopper comes back as a new track, and every
 * other camera sees the shopper as a track of its own. Without this, all of those carry no token
 * and the checkout cannot charge what they take.
 *
 * <p>Rule (position and time; with {@link #withAppearances}, clothing colours too; never faces):
 * an observation of a track without a token takes over the token of a shopper last seen, by any
 * camera, at most {@code maxAgeMillis} before and close enough to have walked there since
 * (distance at most {@code reachMetres} plus
 * {@code metresPerSecond} x age). Each such shopper is weighed by a Gaussian around the last place
 * whose spread grows at walking pace (half the reach, plus the pace times the age), so a shopper
 * seen there a moment ago outweighs one seen near there seconds ago; the most likely one takes
 * it when it holds at least {@code minProbability} of the weight. A shopper this camera is
 * following on another track right now ({@link #SAME_CAMERA_MILLIS}) is not a candidate: one
 * camera does not see one person twice. Once a track has a token it keeps it for its life. When
 * no shopper is likely enough the track stays without a token (counted in {@link #ambiguous()})
 * and is tried again on its next observation. One shopper is not in two places: a track that took
 * a token over gives it up when another track carrying it is seen more than
 * {@link #CONFLICT_METRES} away at the same moment and has held it longer (counted in
 * {@link #conflicts()}). An EXIT at a gate retires the token.
 *
 * <p>With looks ({@link AppearanceBook}): each token's look is learnt from the tracks sure to be
 * its shopper; a candidate's weight is multiplied by {@link #appearanceFactor} of the new track's
 * look against it, and a candidate who clearly looks different ({@link #UNLIKE_SIMILARITY}) is
 * none; among several candidates a new track waits up to {@link #LOOK_WAIT_MILLIS} for its look;
 * a track, gate-bound or not, that stops looking like its token's shopper lets the token go
 * (counted in {@link #lostLook()}); and of two tracks in conflict the one that looks less like
 * the shopper gives the token up.
 *
 * <p>Observations of a track that took its token over among other shoppers in reach carry an
 * identity confidence of {@link #CROWDED_HAND_OVER_IDENTITY} (the checkout flags what it charges
 * on them), unless the looks made the hand-over {@link #SURE_BY_LOOK}; alone in reach, or bound at
 * the gate, 1.
 *
 * <p>Thread-safe: observations arrive on every camera's inference thread, gate events on the
 * agent's thread.
 */
public final class TokenCarrier {
  private final double reachMetres;
  private final double metresPerSecond;
  private final long maxAgeMillis;
  private final double minProbability;

  private record Seen(double x, double y, long atMillis) {}

  private final Map<String, String> tokenOfTrack = new HashMap<>();
  private final Map<String, Long> trackSeenAt = new HashMap<>();
  private long lastPruneMillis = Long.MIN_VALUE;
  private final Map<String, Seen> lastSeenOfToken = new HashMap<>();
  private long handOvers;
  private long ambiguous;
  private long conflicts;
  /** When each track took its token over (gate-bound tracks are absent: they hold theirs longest). */
  private final Map<String, Long> acquiredAt = new HashMap<>();
  /** Identity confidence of tracks that took their token over. */
  private final Map<String, Double> identityOfTrack = new HashMap<>();
  /** Per token, where each of its tracks was last seen. */
  private final Map<String, Map<String, Seen>> byTrackOfToken = new HashMap<>();

  public TokenCarrier(double reachMetres, double metresPerSecond, long maxAgeMillis, double minProbability) {
    if (!(reachMetres > 0) || !(metresPerSecond >= 0) || maxAgeMillis < 0 || !(minProbability > 0.5
        && minProbability <= 1)) {
      throw new IllegalArgumentException("token carrier: reach must be > 0, speed and age >= 0, probability in "
          + "(0.5, 1] (got: " + reachMetres + ", " + metresPerSecond + ", " + maxAgeMillis + ", " + minProbability + ")");
    }
    this.reachMetres = reachMetres;
    this.metresPerSecond = metresPerSecond;
    this.maxAgeMillis = maxAgeMillis;
    this.minProbability = minProbability;
  }

  /** 0.8 m reach, 1 m/s walking pace, 8 s memory, hand-over when 80 % sure. */
  public static TokenCarrier defaults() {
    return new TokenCarrier(0.8, 1.0, 8000, 0.8);
  }

  private AppearanceBook appearances;
  /** What each token's shopper looks like, learnt from the tracks sure to follow them. */
  private final Map<String, float[]> lookOfToken = new HashMap<>();
  /** Tracks bound at the gate that stopped looking like their shopper: their binding is ignored. */
  private final Set<String> disowned = new HashSet<>();
  private final Map<String, Long> firstSeenAt = new HashMap<>();
  private long lostLook;

  /**
   * Also weighs who a new track is by what it looks like against what each candidate shopper
   * looked like on the tracks sure to be them ({@link #appearanceFactor}). Returns this.
   */
  public synchronized TokenCarrier withAppearances(AppearanceBook book) {
    this.appearances = book;
    return this;
  }

  /**
   * Likelihood ratio of two looks being one person against two neighbours, from their
   * {@link Appearance#similarity}: measured through 15 ceiling cameras
   * on busy traffic, one person seen by two cameras at once scored a median of 0.91 (5 % below
   * 0.71), two people within 1.5 m of each other 0.44 (5 % above 0.78). The fitted log ratio is
   * about 20 x (similarity - 0.72); the slope here is lower and the ratio bounded, so that no look
   * alone outweighs a clear position.
   */
  static double appearanceFactor(double similarity) {
    return Math.exp(Math.max(-APPEARANCE_LOG_BOUND, Math.min(APPEARANCE_LOG_BOUND,
        APPEARANCE_SLOPE * (similarity - APPEARANCE_EVEN))));
  }

  static final double APPEARANCE_SLOPE = 16;
  static final double APPEARANCE_EVEN = 0.72;
  static final double APPEARANCE_LOG_BOUND = 4;
  /** A track's look is taken as the shopper's once averaged over this many frames. */
  static final int LOOK_MIN_SAMPLES = 3;
  /** Weight of a sure track's look in its token's look. */
  static final double LOOK_RATE = 0.1;

  /**
   * The observation with the token its shopper carries: its own (from the gate binding), the one
   * its track took over earlier, one taken over now, or none.
   */
  public synchronized ShopperObservation carry(ShopperObservation o) {
    prune(o.atMillis());
    trackSeenAt.merge(o.trackId(), o.atMillis(), Math::max);
    firstSeenAt.putIfAbsent(o.trackId(), o.atMillis());
    String bound = disowned.contains(o.trackId()) ? null : o.customerToken();
    String held = bound != null ? bound : tokenOfTrack.get(o.trackId());
    if (held != null && looksUnlike(o.trackId(), held)) {
      // the tracker slipped from the shopper onto someone else: the track lets the token go
      lostLook++;
      if (bound != null) {
        disowned.add(o.trackId());
        bound = null;
      }
      tokenOfTrack.remove(o.trackId());
      identityOfTrack.remove(o.trackId());
      acquiredAt.remove(o.trackId());
    }
    String token = bound;
    if (token == null) {
      token = tokenOfTrack.get(o.trackId());
    }
    if (token == null) {
      missReason = null;
      token = takeOver(o);
      if (token != null) {
        acquiredAt.put(o.trackId(), o.atMillis());
      }
    }
    double identity = bound != null ? 1.0 : identityOfTrack.getOrDefault(o.trackId(), 1.0);
    if (token != null && !token.equals(bound) && losesConflict(o, token)) {
      conflicts++;
      tokenOfTrack.remove(o.trackId());
      identityOfTrack.remove(o.trackId());
      token = null;
      missReason = "lostConflict";
    }
    if (token == null) {
      withoutToken.merge(missReason, 1L, Long::sum);
      return o.customerToken() == null ? o : new ShopperObservation(o.trackId(), null, o.x(), o.y(), o.atMillis());
    }
    tokenOfTrack.put(o.trackId(), token);
    if (identity >= 1) {
      learnLook(token, o.trackId());
    }
    byTrackOfToken.computeIfAbsent(token, k -> new HashMap<>())
        .put(o.trackId(), new Seen(o.x(), o.y(), o.atMillis()));
    Seen before = lastSeenOfToken.get(token);
    if (before == null || before.atMillis() <= o.atMillis()) {
      lastSeenOfToken.put(token, new Seen(o.x(), o.y(), o.atMillis()));
    }
    return token.equals(o.customerToken()) ? o
        : new ShopperObservation(o.trackId(), token, o.x(), o.y(), o.atMillis(), identity);
  }

  /** Similarity of the track's look to the token's, or NaN when either is not known well enough. */
  private double lookSimilarity(String trackId, String token) {
    float[] known = lookOfToken.get(token);
    if (appearances == null || known == null || appearances.samples(trackId) < LOOK_MIN_SAMPLES) {
      return Double.NaN;
    }
    return Appearance.similarity(appearances.of(trackId), known);
  }

  /** Whether the track clearly does not look like the token's shopper. */
  private boolean looksUnlike(String trackId, String token) {
    return lookSimilarity(trackId, token) < UNLIKE_SIMILARITY;
  }

  /**
   * Below this similarity a track is not the token's shopper: one person seen by two cameras
   * scored below it about once in 200, two neighbours about six times in ten.
   */
  static final double UNLIKE_SIMILARITY = 0.55;
  /** A sure track's look is learnt into its token's only when it agrees this well (or none is known yet). */
  static final double LEARN_SIMILARITY = 0.7;
  /** A crowded hand-over this sure with the looks weighed is as sure as one alone in reach. */
  static final double SURE_BY_LOOK = 0.97;
  /** How long a new track among several candidates waits for its look before a hand-over by position alone. */
  static final long LOOK_WAIT_MILLIS = 1000;

  /** Tracks that let their token go because they no longer looked like its shopper. */
  public synchronized long lostLook() {
    return lostLook;
  }

  private void learnLook(String token, String trackId) {
    if (appearances == null || appearances.samples(trackId) < LOOK_MIN_SAMPLES) {
      return;
    }
    float[] look = appearances.of(trackId);
    float[] known = lookOfToken.get(token);
    if (known == null) {
      lookOfToken.put(token, look);
    } else if (Appearance.similarity(look, known) >= LEARN_SIMILARITY) {
      Appearance.blend(known, look, LOOK_RATE);
    }
  }

  /**
   * One shopper cannot be in two places: when another track carrying the same token was seen at
   * the same moment more than {@link #CONFLICT_METRES} away, one of them follows someone else.
   * The track that took the token over last gives it up (a gate-bound track never does; ties go
   * to the other track).
   */
  private boolean losesConflict(ShopperObservation o, String token) {
    Map<String, Seen> others = byTrackOfToken.getOrDefault(token, Map.of());
    long mine = acquiredAt.getOrDefault(o.trackId(), Long.MIN_VALUE);
    for (Map.Entry<String, Seen> e : others.entrySet()) {
      if (e.getKey().equals(o.trackId()) || !token.equals(tokenOfTrack.get(e.getKey()))) {
        continue;
      }
      Seen s = e.getValue();
      if (Math.abs(s.atMillis() - o.atMillis()) > CONFLICT_WINDOW_MILLIS
          || Math.hypot(s.x() - o.x(), s.y() - o.y()) <= CONFLICT_METRES) {
        continue;
      }
      // the one that looks less like the shopper gives it up; alike or unknown, the later one
      double myLook = lookSimilarity(o.trackId(), token);
      double theirLook = lookSimilarity(e.getKey(), token);
      if (myLook + LOOK_MARGIN < theirLook) {
        return true;
      }
      if (!(theirLook + LOOK_MARGIN < myLook) && mine >= acquiredAt.getOrDefault(e.getKey(), Long.MIN_VALUE)) {
        return true;
      }
    }
    return false;
  }

  /** Identity confidence of a track that took a token over while other shoppers were in reach. */
  public static final double CROWDED_HAND_OVER_IDENTITY = 0.6;

  /** Difference of look similarity that decides which of two tracks carrying one token is the shopper. */
  static final double LOOK_MARGIN = 0.1;

  /** Two tracks of one shopper seen this far apart at the same moment cannot both be right. */
  static final double CONFLICT_METRES = 1.2;
  static final long CONFLICT_WINDOW_MILLIS = 400;

  /** Tracks that gave up a token because another track of the same shopper was elsewhere. */
  public synchronized long conflicts() {
    return conflicts;
  }

  /** Why the last {@link #takeOver} found no token. */
  private String missReason;
  private final Map<String, Long> withoutToken = new java.util.TreeMap<>();

  /** Observations passed on without a token, by why none was taken over. */
  public synchronized Map<String, Long> withoutToken() {
    return new java.util.TreeMap<>(withoutToken);
  }

  private String takeOver(ShopperObservation o) {
    String camera = cameraOf(o.trackId());
    int inTime = 0;
    int sameCamera = 0;
    int unlike = 0;
    float[] mine = appearances == null || appearances.samples(o.trackId()) == 0 ? null : appearances.of(o.trackId());
    String best = null;
    double bestL = 0;
    double sum = 0;
    int candidates = 0;
    for (Map.Entry<String, Seen> e : lastSeenOfToken.entrySet()) {
      Seen s = e.getValue();
      long age = Math.abs(o.atMillis() - s.atMillis());
      if (age > maxAgeMillis) {
        continue;
      }
      inTime++;
      // where the shopper can be now: around the last place, spreading at walking pace
      double sigma = reachMetres / 2 + metresPerSecond * age / 1000.0;
      double d = Math.hypot(o.x() - s.x(), o.y() - s.y());
      if (d > reachMetres + metresPerSecond * age / 1000.0) {
        continue;
      }
      if (followedBy(e.getKey(), camera, o.atMillis())) {
        sameCamera++;
        continue; // this camera is following that shopper on another track right now
      }
      double z = d / sigma;
      double l = Math.exp(-0.5 * z * z) / (sigma * sigma);
      if (mine != null && lookOfToken.containsKey(e.getKey())) {
        double similarity = Appearance.similarity(mine, lookOfToken.get(e.getKey()));
        if (similarity < UNLIKE_SIMILARITY && appearances.samples(o.trackId()) >= LOOK_MIN_SAMPLES) {
          unlike++;
          continue; // clearly someone else
        }
        l *= appearanceFactor(similarity);
      }
      sum += l;
      candidates++;
      if (l > bestL) {
        bestL = l;
        best = e.getKey();
      }
    }
    if (best == null) {
      missReason = inTime == 0 ? "noShopperRecent" : unlike > 0 ? "lookUnlike" : sameCamera > 0 ? "sameCamera" : "outOfReach";
      return null;
    }
    if (candidates > 1 && appearances != null && appearances.samples(o.trackId()) < LOOK_MIN_SAMPLES
        && o.atMillis() - firstSeenAt.getOrDefault(o.trackId(), o.atMillis()) < LOOK_WAIT_MILLIS) {
      missReason = "waitingForLook";
      return null; // among others in reach: wait a few frames to see what it looks like
    }
    if (bestL / sum < minProbability) {
      ambiguous++;
      missReason = "ambiguous";
      return null;
    }
    handOvers++;
    // alone in reach, the shopper is who it was; among others, a hand-over is often wrong in a
    // crowd (about half, measured on generated busy traffic through the vision pipeline)
    boolean byLook = mine != null && appearances.samples(o.trackId()) >= LOOK_MIN_SAMPLES
        && lookOfToken.containsKey(best) && bestL / sum >= SURE_BY_LOOK;
    identityOfTrack.put(o.trackId(), candidates == 1 || byLook ? 1.0 : CROWDED_HAND_OVER_IDENTITY);
    return best;
  }

  /** Whether one of {@code camera}'s tracks carried {@code token} within {@link #SAME_CAMERA_MILLIS} of {@code atMillis}. */
  private boolean followedBy(String token, String camera, long atMillis) {
    for (Map.Entry<String, Seen> t : byTrackOfToken.getOrDefault(token, Map.of()).entrySet()) {
      if (cameraOf(t.getKey()).equals(camera) && Math.abs(atMillis - t.getValue().atMillis()) <= SAME_CAMERA_MILLIS) {
        return true;
      }
    }
    return false;
  }

  /** The camera part of a track key ({@code <camera id>:<tracker id>}). */
  private static String cameraOf(String trackId) {
    int colon = trackId.lastIndexOf(':');
    return colon < 0 ? "" : trackId.substring(0, colon);
  }

  /** A camera that saw a shopper on one track this recently is not given the shopper again on another. */
  static final long SAME_CAMERA_MILLIS = 600;

  /** An EXIT retires its token: no later track takes it over. Other gate events are ignored. */
  public synchronized void onGate(GateEvent e) {
    if (e.direction() == GateEvent.Direction.EXIT && e.customerToken() != null) {
      lastSeenOfToken.remove(e.customerToken());
      byTrackOfToken.remove(e.customerToken());
      lookOfToken.remove(e.customerToken());
      tokenOfTrack.values().removeIf(e.customerToken()::equals);
    }
  }

  /**
   * A track not seen for {@link #FORGET_TRACK_MILLIS} has ended (trackers do not come back to an
   * id after that long): what it carried is forgotten, so a long-running agent holds only live
   * tracks. Tokens not seen for as long are forgotten too (they can no longer be taken over).
   */
  private void prune(long nowMillis) {
    if (lastPruneMillis != Long.MIN_VALUE && nowMillis - lastPruneMillis < FORGET_TRACK_MILLIS / 4) {
      return;
    }
    lastPruneMillis = nowMillis;
    trackSeenAt.entrySet().removeIf(e -> {
      boolean gone = nowMillis - e.getValue() > FORGET_TRACK_MILLIS;
      if (gone) {
        tokenOfTrack.remove(e.getKey());
        acquiredAt.remove(e.getKey());
        identityOfTrack.remove(e.getKey());
        disowned.remove(e.getKey());
        firstSeenAt.remove(e.getKey());
        byTrackOfToken.values().forEach(m -> m.remove(e.getKey()));
      }
      return gone;
    });
    lastSeenOfToken.values().removeIf(s -> nowMillis - s.atMillis() > Math.max(FORGET_TRACK_MILLIS, maxAgeMillis));
    byTrackOfToken.keySet().retainAll(lastSeenOfToken.keySet());
    lookOfToken.keySet().retainAll(lastSeenOfToken.keySet());
  }

  /** How long after its last observation a track is taken to have ended. */
  public static final long FORGET_TRACK_MILLIS = 60_000;

  /** Tracks and tokens held (for memory checks). */
  public synchronized int size() {
    return tokenOfTrack.size() + lastSeenOfToken.size();
  }

  /** The token a track carries (bound at the gate or taken over), or null. */
  public synchronized String tokenOf(String trackId) {
    return tokenOfTrack.get(trackId);
  }

  /** Tracks that took over a shopper's token. */
  public synchronized long handOvers() {
    return handOvers;
  }

  /** Observations left without a token because two shoppers were equally near. */
  public synchronized long ambiguous() {
    return ambiguous;
  }
}
