package org.storeedge.vision.interaction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.event.GateEvent;
import org.storeedge.vision.geometry.Point2;

/**
 * Binds the customer token scanned at an entry gate to the track standing nearest that gate at
 * check-in, and keeps the binding for the track's life. Pseudonymous: the only link between a
 * person in the image and a customer is "this track was at the gate when this token was
 * scanned"; the binding uses no appearance or face features (what the shopper's clothes look
 * like is learnt later, in memory, by the {@link TokenCarrier} when its cameras read looks).
 *
 * <p>A check-in waits up to {@code windowMillis} for an unbound track within
 * {@code maxDistanceMetres} of the gate (the shopper may be seen a moment after the scan); if
 * none appears it expires and is counted. Thread-safe: gate events arrive on the agent's thread,
 * tracks on the inference threads.
 */
public final class TokenBinder {
  private static final System.Logger LOG = System.getLogger(TokenBinder.class.getName());

  private final Map<String, Point2> gates = new HashMap<>();
  private final double maxDistanceMetres;
  private final long windowMillis;
  private final List<Pending> pending = new ArrayList<>();
  private final Map<String, String> tokenByTrack = new HashMap<>();
  private final Map<String, String> trackByToken = new HashMap<>();
  private long bound;
  private long expired;
  private long rejected;

  private record Pending(String token, String gateId, Point2 gate, long atMillis) {}

  public TokenBinder(List<StoreConfig.Gate> gates, double maxDistanceMetres, long windowMillis) {
    if (!(maxDistanceMetres > 0) || windowMillis < 0) {
      throw new IllegalArgumentException("token binder maxDistanceMetres must be > 0 and windowMillis >= 0 (got: "
          + maxDistanceMetres + ", " + windowMillis + ")");
    }
    for (StoreConfig.Gate g : gates) {
      this.gates.put(g.id(), new Point2(g.position().x(), g.position().y()));
    }
    this.maxDistanceMetres = maxDistanceMetres;
    this.windowMillis = windowMillis;
  }

  /** How long a check-in waits for a track at its gate by default. */
  public static final long DEFAULT_WINDOW_MILLIS = 3000;

  /** Gate at 1.5 m, {@link #DEFAULT_WINDOW_MILLIS} window. */
  public TokenBinder(List<StoreConfig.Gate> gates) {
    this(gates, 1.5, DEFAULT_WINDOW_MILLIS);
  }

  /**
   * Any thread: a gate event. ENTER with a token queues a check-in; other events are ignored. An
   * unknown gate or a blank token is logged, counted and ignored.
   */
  public synchronized void onGateEvent(GateEvent e) {
    if (e.direction() != GateEvent.Direction.ENTER) {
      return;
    }
    Point2 gate = gates.get(e.gateId());
    if (gate == null || e.customerToken() == null || e.customerToken().isBlank()) {
      rejected++;
      LOG.log(System.Logger.Level.WARNING, "check-in ignored: unknown gate or no token (gate: " + e.gateId() + ")");
      return;
    }
    if (trackByToken.containsKey(e.customerToken())) {
      return; // already bound to a live track
    }
    pending.add(new Pending(e.customerToken(), e.gateId(), gate, e.atMillis()));
  }

  /**
   * Inference thread: the floor positions of the visible tracks at {@code captureMillis}. Binds
   * waiting check-ins (oldest first) to the nearest unbound track near their gate, and expires
   * those older than the window.
   */
  public synchronized void onPositions(long captureMillis, Map<String, Point2> positions) {
    if (pending.isEmpty()) {
      return;
    }
    Iterator<Pending> it = pending.iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      if (captureMillis - p.atMillis > windowMillis) {
        it.remove();
        expired++;
        LOG.log(System.Logger.Level.INFO, "no track near gate " + p.gateId + " within " + windowMillis
            + " ms of a check-in; token left unbound");
        continue;
      }
      if (captureMillis < p.atMillis - windowMillis) {
        continue; // frame from well before the scan
      }
      String best = null;
      double bestDistance = maxDistanceMetres;
      for (Map.Entry<String, Point2> e : positions.entrySet()) {
        if (tokenByTrack.containsKey(e.getKey())) {
          continue;
        }
        double d = e.getValue().distanceTo(p.gate);
        if (d <= bestDistance) {
          bestDistance = d;
          best = e.getKey();
        }
      }
      if (best != null) {
        tokenByTrack.put(best, p.token);
        trackByToken.put(p.token, best);
        bound++;
        it.remove();
      }
    }
  }

  /** The token bound to {@code trackId}, or null. */
  public synchronized String tokenOf(String trackId) {
    return tokenByTrack.get(trackId);
  }

  /** The track a token is bound to, or null. */
  public synchronized String trackOf(String token) {
    return trackByToken.get(token);
  }

  /** Inference thread: the track is gone; its binding ends with it. */
  public synchronized void trackEnded(String trackId) {
    String token = tokenByTrack.remove(trackId);
    if (token != null) {
      trackByToken.remove(token);
    }
  }

  public synchronized long boundCount() {
    return bound;
  }

  public synchronized long expiredCount() {
    return expired;
  }

  public synchronized long rejectedCount() {
    return rejected;
  }

  public synchronized int pendingCount() {
    return pending.size();
  }
}
