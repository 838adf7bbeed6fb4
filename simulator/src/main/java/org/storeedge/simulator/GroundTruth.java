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
 * What really happened in a simulated run, for scoring the agent: every shopper with its final
 * cart and every hand interaction with a shelf. Known in full as soon as the store is built (the
 * run is planned up front), so it can be read before, during or after the run.
 */
public record GroundTruth(List<Shopper> shoppers) {
  public GroundTruth {
    shoppers = List.copyOf(shoppers);
  }

  public Optional<Shopper> shopper(String token) {
    return shoppers.stream().filter(s -> s.token().equals(token)).findFirst();
  }

  /** Final carts by customer token: sku to quantity, zero lines removed. */
  public SortedMap<String, SortedMap<String, Integer>> carts() {
    return shoppers.stream().collect(Collectors.toMap(Shopper::token, Shopper::cart, (a, b) -> a, TreeMap::new));
  }

  /** Every interaction of every shopper, in order of hand-on time. */
  public List<Action> actions() {
    return shoppers.stream().flatMap(s -> s.actions().stream())
        .sorted(Comparator.comparing(Action::handOn).thenComparing(Action::laneId)).toList();
  }

  /**
   * One shopper's visit.
   *
   * @param trackId the track id its presence observations carry
   * @param cart sku to quantity taken minus put back, zero lines removed, sorted by sku
   * @param actions its interactions in time order
   */
  public record Shopper(String token, String trackId, Instant enteredAt, Instant exitedAt,
      SortedMap<String, Integer> cart, List<Action> actions) {
    public Shopper {
      cart = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(cart));
      actions = List.copyOf(actions);
    }
  }

  /**
   * One hand interaction with a lane.
   *
   * @param sku the product moved (for a touch: the lane's planned sku)
   * @param signedQty units onto the lane (put-back, &gt; 0) or off it (take, &lt; 0); 0 for a touch
   * @param handOn the hand reaches the lane (load transient starts)
   * @param itemMove the units leave or arrive (the static load steps)
   * @param handOff the hand leaves; the lane is stable from here
   * @param unitGrams true weight of each unit moved, grams
   */
  public record Action(String token, String laneId, String sku, int signedQty, Kind kind,
      Instant handOn, Instant itemMove, Instant handOff, List<Double> unitGrams) {
    public Action {
      unitGrams = List.copyOf(unitGrams);
    }

    /** Sum of the true weights moved, grams (always &gt;= 0). */
    public double grams() {
      return unitGrams.stream().mapToDouble(Double::doubleValue).sum();
    }
  }

  public enum Kind {
    TAKE,
    PUT_BACK,
    /** A touch or lean without moving anything: a transient with no net change. */
    TOUCH
  }

  static SortedMap<String, Integer> cartOf(List<Action> actions) {
    Map<String, Integer> m = new TreeMap<>();
    for (Action a : actions) {
      if (a.kind() != Kind.TOUCH) {
        m.merge(a.sku(), -a.signedQty(), Integer::sum);
      }
    }
    m.values().removeIf(v -> v == 0);
    return new TreeMap<>(m);
  }
}
