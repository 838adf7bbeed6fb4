package org.storeedge.checkout.cart;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.storeedge.core.event.ShopperObservation;

/**
 * Where shoppers were lately: the recent positions of every track, which customer token each
 * track carries (a group shares a token, but every member has a track of their own), and the
 * positions of tracks the cameras could not yet put a token on. Bounded in time and size, so a
 * long-running agent keeps only what shelf events can still ask about. Runs on the checkout's
 * thread, like {@link CheckoutEngine}.
 */
final class ShopperTracks {
  private final Map<String, Deque<ShopperObservation>> byTrack = new HashMap<>();
  private final Map<String, Set<String>> tracksOfToken = new HashMap<>();
  private final Map<String, String> tokenOfTrack = new HashMap<>();
  /** Observations without a token, oldest first: only to know whether anyone else was somewhere. */
  private final Deque<ShopperObservation> anonymous = new ArrayDeque<>();
  private final long keepMillis;

  /** Observations are kept for {@code keepMillis}. */
  ShopperTracks(long keepMillis) {
    this.keepMillis = keepMillis;
  }

  /** Adds an observation; true when it carries a token (false: kept only as anonymous). */
  boolean add(ShopperObservation o) {
    if (o.customerToken() == null) {
      // someone the cameras cannot put a token on (not yet handed over, or no check-in at all)
      anonymous.addLast(o);
      while (!anonymous.isEmpty() && (anonymous.size() > MAX_ANONYMOUS
          || o.atMillis() - anonymous.peekFirst().atMillis() > keepMillis)) {
        anonymous.removeFirst();
      }
      return false;
    }
    Deque<ShopperObservation> h = byTrack.computeIfAbsent(o.trackId(), k -> new ArrayDeque<>());
    tokenOfTrack.put(o.trackId(), o.customerToken());
    tracksOfToken.computeIfAbsent(o.customerToken(), k -> new LinkedHashSet<>()).add(o.trackId());
    h.addLast(o);
    while (!h.isEmpty() && o.atMillis() - h.peekFirst().atMillis() > keepMillis) {
      h.removeFirst();
    }
    return true;
  }

  private static final int MAX_ANONYMOUS = 20_000;

  /** The recent positions of a track that carried a token, oldest first; null when none are kept. */
  Deque<ShopperObservation> history(String trackId) {
    return byTrack.get(trackId);
  }

  /** The recent positions of each of the token's tracks, in the order the tracks were first seen. */
  List<Deque<ShopperObservation>> of(String token) {
    List<Deque<ShopperObservation>> out = new ArrayList<>();
    for (String track : tracksOfToken.getOrDefault(token, Set.of())) {
      Deque<ShopperObservation> h = byTrack.get(track);
      if (h != null) {
        out.add(h);
      }
    }
    return out;
  }

  /** The token a track carried last, or null. */
  String tokenOf(String trackId) {
    return tokenOfTrack.get(trackId);
  }

  /** The recent positions of every track with a token. */
  Collection<Deque<ShopperObservation>> all() {
    return byTrack.values();
  }

  /** Recent observations without a token, oldest first. */
  Iterable<ShopperObservation> anonymous() {
    return anonymous;
  }

  /** Forgets tracks not seen for the keeping time before {@code now}. */
  void prune(long now) {
    byTrack.entrySet().removeIf(e -> e.getValue().isEmpty()
        || now - e.getValue().peekLast().atMillis() > keepMillis);
    tracksOfToken.values().forEach(ts -> ts.removeIf(t -> !byTrack.containsKey(t)));
    tracksOfToken.values().removeIf(Set::isEmpty);
    tokenOfTrack.keySet().removeIf(t -> !byTrack.containsKey(t));
  }

  /** Forgets every track of {@code token} (a shopper's erasure); how many had positions. */
  int forget(String token) {
    Set<String> tracks = tracksOfToken.remove(token);
    int n = 0;
    if (tracks != null) {
      for (String t : tracks) {
        if (byTrack.remove(t) != null) {
          n++;
        }
      }
    }
    tokenOfTrack.values().removeIf(token::equals);
    return n;
  }
}
