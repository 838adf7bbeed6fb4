package org.storeedge.vision.interaction;

import java.util.HashMap;
import java.util.Map;
import org.storeedge.core.event.GateEvent;
import org.storeedge.core.event.ShopperObservation;

/**
 * Keeps a shopper's customer token across track breaks and across cameras. The {@link TokenBinder}
 * binds a token to the one track that was at the gate at check-in; when that track is lost (an
 * occlusion longer than the tracker's patience) the shopper comes back as a new track, and every
 * other camera sees the shopper as a track of its own. Without this, all of those carry no token
 * and the checkout cannot charge what they take.
 *
 * <p>Rule (position and time only; no appearance, no faces): an observation of a track without a
 * token takes over the token of the shopper last seen nearest to it, by any camera, at most
 * {@code maxAgeMillis} before, when that shopper could have walked there since (distance minus
 * {@code metresPerSecond} x age is at most {@code reachMetres}) and no other shopper was nearly
 * as close (the second nearest is at least {@code marginMetres} farther). Once a track has a
 * token it keeps it for its life. When two shoppers were too close to tell apart the track stays
 * without a token (counted in {@link #ambiguous()}) and is tried again on its next observation.
 * An EXIT at a gate retires the token.
 *
 * <p>Thread-safe: observations arrive on every camera's inference thread, gate events on the
 * agent's thread.
 */
public final class TokenCarrier {
  private final double reachMetres;
  private final double metresPerSecond;
  private final long maxAgeMillis;
  private final double marginMetres;

  private record Seen(double x, double y, long atMillis) {}

  private final Map<String, String> tokenOfTrack = new HashMap<>();
  private final Map<String, Long> trackSeenAt = new HashMap<>();
  private long lastPruneMillis = Long.MIN_VALUE;
  private final Map<String, Seen> lastSeenOfToken = new HashMap<>();
  private long handOvers;
  private long ambiguous;

  public TokenCarrier(double reachMetres, double metresPerSecond, long maxAgeMillis, double marginMetres) {
    if (!(reachMetres > 0) || !(metresPerSecond >= 0) || maxAgeMillis < 0 || !(marginMetres >= 0)) {
      throw new IllegalArgumentException("token carrier: reach must be > 0, speed, age and margin >= 0 (got: "
          + reachMetres + ", " + metresPerSecond + ", " + maxAgeMillis + ", " + marginMetres + ")");
    }
    this.reachMetres = reachMetres;
    this.metresPerSecond = metresPerSecond;
    this.maxAgeMillis = maxAgeMillis;
    this.marginMetres = marginMetres;
  }

  /** 0.8 m reach, 1 m/s walking pace, 8 s memory, 0.3 m margin. */
  public static TokenCarrier defaults() {
    return new TokenCarrier(0.8, 1.0, 8000, 0.3);
  }

  /**
   * The observation with the token its shopper carries: its own (from the gate binding), the one
   * its track took over earlier, one taken over now, or none.
   */
  public synchronized ShopperObservation carry(ShopperObservation o) {
    prune(o.atMillis());
    trackSeenAt.merge(o.trackId(), o.atMillis(), Math::max);
    String token = o.customerToken();
    if (token == null) {
      token = tokenOfTrack.get(o.trackId());
    }
    if (token == null) {
      token = takeOver(o);
    }
    if (token == null) {
      return o;
    }
    tokenOfTrack.put(o.trackId(), token);
    Seen before = lastSeenOfToken.get(token);
    if (before == null || before.atMillis() <= o.atMillis()) {
      lastSeenOfToken.put(token, new Seen(o.x(), o.y(), o.atMillis()));
    }
    return token.equals(o.customerToken()) ? o : new ShopperObservation(o.trackId(), token, o.x(), o.y(), o.atMillis());
  }

  private String takeOver(ShopperObservation o) {
    String best = null;
    double bestD = Double.MAX_VALUE;
    double secondD = Double.MAX_VALUE;
    for (Map.Entry<String, Seen> e : lastSeenOfToken.entrySet()) {
      Seen s = e.getValue();
      long age = Math.abs(o.atMillis() - s.atMillis());
      if (age > maxAgeMillis) {
        continue;
      }
      // how far beyond what the shopper could have walked since last seen
      double d = Math.hypot(o.x() - s.x(), o.y() - s.y()) - metresPerSecond * age / 1000.0;
      if (d < bestD) {
        secondD = bestD;
        bestD = d;
        best = e.getKey();
      } else if (d < secondD) {
        secondD = d;
      }
    }
    if (best == null || bestD > reachMetres) {
      return null;
    }
    if (secondD - bestD < marginMetres) {
      ambiguous++;
      return null;
    }
    handOvers++;
    return best;
  }

  /** An EXIT retires its token: no later track takes it over. Other gate events are ignored. */
  public synchronized void onGate(GateEvent e) {
    if (e.direction() == GateEvent.Direction.EXIT && e.customerToken() != null) {
      lastSeenOfToken.remove(e.customerToken());
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
      }
      return gone;
    });
    lastSeenOfToken.values().removeIf(s -> nowMillis - s.atMillis() > Math.max(FORGET_TRACK_MILLIS, maxAgeMillis));
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
