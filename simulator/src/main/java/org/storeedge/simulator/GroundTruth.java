package org.storeedge.simulator;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What really happened in a simulated run, for scoring the agent: every shopper (customer token)
 * with its final cart, every hand interaction with a shelf, and every hand-off between shoppers.
 * Known in full as soon as the store is built (the run is planned up front), so it can be read
 * before, during or after the run.
 *
 * <p>Carts follow the physical units: a unit handed to another shopper is in the receiver's cart
 * (whoever walks out with it pays); a group checking in with one token has one cart.
 */
public record GroundTruth(List<Shopper> shoppers, List<HandOff> handOffs) {
  public GroundTruth {
    shoppers = List.copyOf(shoppers);
    handOffs = List.copyOf(handOffs);
  }

  public GroundTruth(List<Shopper> shoppers) {
    this(shoppers, List.of());
  }

  /** The first visit of {@code token}. */
  public Optional<Shopper> shopper(String token) {
    return shoppers.stream().filter(s -> s.token().equals(token)).findFirst();
  }

  /**
   * How a visit is named in {@link #carts()}: the token for its first visit, the token, '#' and the
   * visit's number for a later one (a shopper who came back in: a second receipt).
   */
  public static String visitKey(String token, int visit) {
    return visit <= 1 ? token : token + "#" + visit;
  }

  /** Final carts by visit ({@link Shopper#key()}): sku to quantity, zero lines removed. */
  public SortedMap<String, SortedMap<String, Integer>> carts() {
    return shoppers.stream().collect(Collectors.toMap(Shopper::key, Shopper::cart, (a, b) -> a, TreeMap::new));
  }

  /**
   * The visit a receipt is for: of the visits of {@code token}, the one whose shopper came in at
   * {@code enteredAt} (what the receipt states); the token itself when it has a single visit or
   * none fits.
   */
  public String visitOf(String token, Instant enteredAt) {
    String key = token;
    for (Shopper s : shoppers) {
      if (s.token().equals(token) && !enteredAt.isBefore(s.enteredAt().minusSeconds(1))
          && !enteredAt.isAfter(s.exitedAt())) {
        key = s.key();
      }
    }
    return key;
  }

  /**
   * Carts by visit as a store whose taker pays charges them: an item handed to another shopper
   * stays on the giver's cart, unless the receiver put it back on a shelf (then nobody pays for
   * it).
   */
  public SortedMap<String, SortedMap<String, Integer>> takenCarts() {
    Map<String, Map<String, Integer>> m = new TreeMap<>();
    carts().forEach((k, v) -> m.put(k, new TreeMap<>(v)));
    Map<String, String> visitOfTrack = new java.util.HashMap<>();
    shoppers.forEach(s -> s.members().forEach(mb -> visitOfTrack.put(mb.trackId(), s.key())));
    for (HandOff h : handOffs.stream().sorted(Comparator.comparing(HandOff::at)).toList()) {
      Map<String, Integer> to = m.computeIfAbsent(visitOfTrack.getOrDefault(h.toTrackId(), h.toToken()), k -> new TreeMap<>());
      int back = Math.min(h.qty(), Math.max(0, to.getOrDefault(h.sku(), 0)));
      if (back > 0) {
        to.merge(h.sku(), -back, Integer::sum);
        m.computeIfAbsent(visitOfTrack.getOrDefault(h.fromTrackId(), h.fromToken()), k -> new TreeMap<>())
            .merge(h.sku(), back, Integer::sum);
      }
    }
    SortedMap<String, SortedMap<String, Integer>> out = new TreeMap<>();
    m.forEach((k, v) -> {
      v.values().removeIf(q -> q == 0);
      out.put(k, java.util.Collections.unmodifiableSortedMap(new TreeMap<>(v)));
    });
    return out;
  }

  /** Every shelf interaction of every shopper, in order of hand-on time. Hand-offs are not in here. */
  public List<Action> actions() {
    return shoppers.stream().flatMap(s -> s.actions().stream())
        .sorted(Comparator.comparing(Action::handOn).thenComparing(Action::laneId)).toList();
  }

  /**
   * One customer token's visit: a single shopper or a group sharing the token. A token back in
   * the store after its visit ended (everyone with it left) is a new visit.
   *
   * @param trackId the track id of its first member (the only one for a single shopper)
   * @param enteredAt first member through the entry gate
   * @param exitedAt last member through the exit gate: the cart closes here
   * @param cart sku to quantity taken minus put back, plus received minus given, zero lines
   *     removed, sorted by sku
   * @param actions its shelf interactions (of all members) in time order
   * @param members each person checked in with this token, in order of entry
   * @param staff a member of staff (the store's {@code checkout.staffTokenPrefixes}): no receipt
   *     is due; put-backs beyond what they hold are restocks of new units
   * @param visit 1-based: which visit of the token this is
   */
  public record Shopper(String token, String trackId, Instant enteredAt, Instant exitedAt,
      SortedMap<String, Integer> cart, List<Action> actions, List<Member> members, boolean staff, int visit) {
    public Shopper {
      cart = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(cart));
      actions = List.copyOf(actions);
      members = List.copyOf(members);
      if (visit < 1) {
        throw new IllegalArgumentException("visit must be >= 1 (got: " + visit + ")");
      }
    }

    public Shopper(String token, String trackId, Instant enteredAt, Instant exitedAt,
        SortedMap<String, Integer> cart, List<Action> actions) {
      this(token, trackId, enteredAt, exitedAt, cart, actions, List.of(new Member(trackId, enteredAt, exitedAt)), false, 1);
    }

    /** This visit's name in {@link GroundTruth#carts()}: see {@link GroundTruth#visitKey}. */
    public String key() {
      return visitKey(token, visit);
    }
  }

  /** One person of a visit: its own track, its own gate passages (one ENTER and one EXIT each). */
  public record Member(String trackId, Instant enteredAt, Instant exitedAt) {}

  /**
   * One hand interaction with a lane.
   *
   * @param trackId the member whose hand it is
   * @param sku the product moved (for a touch or lean: the lane's planned sku)
   * @param signedQty units onto the lane (put-back, &gt; 0) or off it (take, &lt; 0); 0 for a touch
   * @param handOn the hand reaches the lane (load transient starts)
   * @param itemMove the units leave or arrive (the static load steps)
   * @param handOff the hand leaves; the lane is stable from here
   * @param unitGrams true weight of each unit moved, grams
   * @param standingLaneId the lane in front of which the shopper stood: the lane itself, or a
   *     neighbour it reached past (crossing hands), or for a multi-lane grab the first lane
   */
  public record Action(String token, String trackId, String laneId, String sku, int signedQty, Kind kind,
      Instant handOn, Instant itemMove, Instant handOff, List<Double> unitGrams, String standingLaneId) {
    public Action {
      unitGrams = List.copyOf(unitGrams);
    }

    /** Sum of the true weights moved, grams (always &gt;= 0). */
    public double grams() {
      return unitGrams.stream().mapToDouble(Double::doubleValue).sum();
    }

    /** True when the shopper stood in front of another lane than the one it changed. */
    public boolean reached() {
      return !standingLaneId.equals(laneId);
    }
  }

  /**
   * Units passed from one shopper to another, hand to hand, at {@code at}.
   *
   * @param unitGrams true weight of each unit handed over, grams
   */
  public record HandOff(String fromToken, String fromTrackId, String toToken, String toTrackId, String sku, int qty,
      Instant at, List<Double> unitGrams) {
    public HandOff {
      unitGrams = List.copyOf(unitGrams);
    }
  }

  public enum Kind {
    TAKE,
    PUT_BACK,
    /** A touch or lean without moving anything: a transient with no net change. */
    TOUCH
  }

  static SortedMap<String, Integer> cartOf(List<Action> actions) {
    return cartOf(actions, List.of(), java.util.Set.of());
  }

  /** The cart of a visit (its members' tracks): its shelf actions plus what it received minus what it gave. */
  static SortedMap<String, Integer> cartOf(List<Action> actions, List<HandOff> handOffs, java.util.Set<String> tracks) {
    Map<String, Integer> m = new TreeMap<>();
    for (Action a : actions) {
      if (a.kind() != Kind.TOUCH) {
        m.merge(a.sku(), -a.signedQty(), Integer::sum);
      }
    }
    for (HandOff h : handOffs) {
      if (tracks.contains(h.fromTrackId())) {
        m.merge(h.sku(), -h.qty(), Integer::sum);
      }
      if (tracks.contains(h.toTrackId())) {
        m.merge(h.sku(), h.qty(), Integer::sum);
      }
    }
    m.values().removeIf(v -> v == 0);
    return new TreeMap<>(m);
  }
}
