package org.storeedge.checkout.cart;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.storeedge.config.StoreConfig;

/**
 * Hands seen in each lane recently, and what they say about who moved an item: a hand in the lane
 * while its load moved weighs who-took-it far more than where the shopper stood. Runs on the
 * checkout's thread, like {@link CheckoutEngine}.
 */
final class LaneHands {
  private record Hand(String trackId, String token, long fromMillis, long toMillis, double confidence) {}

  /** Hands seen in each lane recently, oldest first. */
  private final Map<String, Deque<Hand>> byLane = new HashMap<>();
  /** The lanes beside each lane on its shelf (configuration order). */
  private final Map<String, List<String>> neighbours = new HashMap<>();
  private final double hitRate;
  private final double falseRate;
  private final long keepMillis;
  /** Capture time of the newest hand observation, or MIN_VALUE: whether a hand source is live. */
  private long lastMillis = Long.MIN_VALUE;
  private long used;

  /** Hands are kept for {@code keepMillis} after they left their lane. */
  LaneHands(StoreConfig config, CheckoutSettings settings, long keepMillis) {
    for (StoreConfig.Shelf shelf : config.shelves()) {
      List<StoreConfig.Lane> ls = shelf.lanes();
      for (int i = 0; i < ls.size(); i++) {
        List<String> n = new ArrayList<>();
        if (i > 0) {
          n.add(ls.get(i - 1).id());
        }
        if (i + 1 < ls.size()) {
          n.add(ls.get(i + 1).id());
        }
        neighbours.put(ls.get(i).id(), n);
      }
    }
    this.hitRate = settings.handHitRate();
    this.falseRate = settings.handFalseRate();
    this.keepMillis = keepMillis;
  }

  /** A hand of {@code token} (null: track not yet bound to a shopper) was in the lane from, to. */
  void add(String laneId, String trackId, String token, long fromMillis, long toMillis, double confidence) {
    Deque<Hand> d = byLane.computeIfAbsent(laneId, k -> new ArrayDeque<>());
    d.addLast(new Hand(trackId, token, fromMillis, toMillis, confidence));
    while (!d.isEmpty() && toMillis - d.peekFirst().toMillis > keepMillis) {
      d.removeFirst();
    }
    heard(toMillis);
  }

  /** The hand source reported something captured at {@code atMillis} (a hand, a contact). */
  void heard(long atMillis) {
    lastMillis = Math.max(lastMillis, atMillis);
  }

  /** Whether a hand source was heard from lately: when it is, a hand not seen is evidence too. */
  boolean live(long atMillis) {
    return lastMillis != Long.MIN_VALUE && atMillis - lastMillis <= LIVE_MILLIS;
  }

  /** A hand source silent for this long is treated as absent (cameras down, no hand model). */
  private static final long LIVE_MILLIS = 5 * 60_000;

  /** Shelf events whose who-took-it weighed a hand so far. */
  long used() {
    return used;
  }

  /**
   * Whose hands were in the lane in [from, to]: customer token (or {@code ?track} when unbound) to
   * the highest confidence seen. Empty when no hand was seen there: the source is absent, occluded
   * or missed it, and positions alone decide.
   */
  Map<String, Double> at(String laneId, long start, long end, Set<String> changedLanes) {
    Map<String, Double> out = new HashMap<>();
    collect(out, laneId, start, end, 1.0);
    // a camera puts a hand on the wrong side of a lane boundary now and then: a well-timed hand
    // next door, where no load moved, most likely belongs to this lane (weaker evidence)
    for (String n : neighbours.getOrDefault(laneId, List.of())) {
      if (!changedLanes.contains(n)) {
        collect(out, n, start, end, NEIGHBOUR_LANE_WEIGHT);
      }
    }
    if (!out.isEmpty()) {
      used++;
    }
    return out;
  }

  private void collect(Map<String, Double> out, String laneId, long start, long end, double weight) {
    Deque<Hand> d = byLane.get(laneId);
    if (d == null) {
      return;
    }
    for (Hand h : d) {
      if (h.toMillis >= start - BEFORE_MILLIS && h.fromMillis <= end + AFTER_MILLIS) {
        // the hand that moved the item is in the lane while the load is disturbed: it enters
        // about when the weight starts to move or leaves about when it settles (when two hands
        // follow each other closely the lane's window spans both: the first hand opens it, the
        // last one closes it); a hand that browses there at another moment explains little
        double ds = (h.fromMillis - start) / START_TOLERANCE_MILLIS;
        double de = (h.toMillis - end) / END_TOLERANCE_MILLIS;
        double aligned = Math.max(Math.exp(-0.5 * ds * ds), Math.exp(-0.5 * de * de));
        double c = h.confidence * aligned * weight;
        if (c >= MIN_CONFIDENCE) {
          out.merge(h.token != null ? h.token : "?" + h.trackId, c, Math::max);
        }
      }
    }
  }

  /** How much a hand seen in the next lane of the shelf counts for this one. */
  private static final double NEIGHBOUR_LANE_WEIGHT = 0.3;

  /**
   * A hand counts for an event if it was in the lane from a little before the weight began to
   * move (the hand reaches in first) to a little after it settled.
   */
  private static final long BEFORE_MILLIS = 1000;
  private static final long AFTER_MILLIS = 500;

  /**
   * How far a hand's entry and exit may lie from the lane's active window and still count in
   * full (one sigma). Entry is looser: a hand may hover before it lifts the item.
   */
  private static final double START_TOLERANCE_MILLIS = 700;
  private static final double END_TOLERANCE_MILLIS = 400;

  /** A hand this weakly tied to an event (badly timed, unsure) is as good as not seen. */
  private static final double MIN_CONFIDENCE = 0.05;

  /**
   * Likelihood ratio of the hand evidence for "this shopper moved the item": a hand seen in the
   * lane with confidence c is c * hit/false + (1 - c) * miss/not-false; a shopper whose hand was
   * not seen while someone's was gets miss/not-false. Shoppers compare by these ratios times
   * their position likelihood.
   */
  double factor(Map<String, Double> hands, String token) {
    if (hands.isEmpty()) {
      return 1;
    }
    return factor(hands.getOrDefault(token, 0.0));
  }

  /** {@link #factor(Map, String)} of a hand seen with confidence {@code c} (0: not seen). */
  double factor(double c) {
    return c * (hitRate / falseRate) + (1 - c) * ((1 - hitRate) / (1 - falseRate));
  }

  /** Drops hands that left their lane more than the keeping time before {@code now}. */
  void prune(long now) {
    byLane.values().forEach(d -> d.removeIf(h -> now - h.toMillis > keepMillis));
    byLane.values().removeIf(Deque::isEmpty);
  }

  /** Drops every hand of {@code token} (a shopper's erasure); how many there were. */
  int forget(String token) {
    int n = 0;
    for (Deque<Hand> d : byLane.values()) {
      int before = d.size();
      d.removeIf(h -> token.equals(h.token));
      n += before - d.size();
    }
    return n;
  }
}
