package org.storeedge.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One person in the store: a shopper script, or one member of a group script. Members are
 * ordered by gate entry (then script order), which is also the order of their track ids.
 *
 * @param scriptIndex index of the script in the list it was expanded from
 * @param number 1-based member number within its script
 * @param visit 1-based: which of its token's visits this person is part of. People sharing a
 *     token whose times in the store overlap (a group) are one visit; a token seen again after all
 *     of them have left is a new visit (the shopper came back in), with its own cart and receipt
 */
record Person(ShopperScript script, int scriptIndex, int number, double enter, double exit, int visit) {
  /** How long a hand-off keeps both shoppers together, seconds. */
  static final double HAND_OFF_SECONDS = 1.5;

  String token() {
    return script.token();
  }

  /** This person's visit: the token for its first, {@link GroundTruth#visitKey} for a later one. */
  String visitKey() {
    return GroundTruth.visitKey(token(), visit);
  }

  /** This member's own actions, in time order. */
  List<ScenarioAction> actions() {
    return script.actions().stream().filter(a -> a.member() == number)
        .sorted(Comparator.comparingDouble(ScenarioAction::at)).toList();
  }

  boolean insideDuring(double from, double to) {
    return enter <= from && exit >= to;
  }

  static List<Person> expand(List<ShopperScript> scripts) {
    int[] visit = visits(scripts);
    List<Person> out = new ArrayList<>();
    for (int s = 0; s < scripts.size(); s++) {
      ShopperScript sc = scripts.get(s);
      for (int k = 1; k <= Math.max(1, sc.group()); k++) {
        out.add(new Person(sc, s, k, sc.enterOf(k), sc.exitOf(k), visit[s]));
      }
    }
    out.sort(Comparator.comparingDouble(Person::enter).thenComparingInt(Person::scriptIndex).thenComparingInt(Person::number));
    return out;
  }

  /**
   * Each script's visit of its token (1-based): scripts with one token whose times in the store
   * overlap are one visit (a group); a script entering after every earlier one with its token has
   * left (its last member included) starts the next.
   */
  static int[] visits(List<ShopperScript> scripts) {
    Integer[] order = new Integer[scripts.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scripts.get(i).enterAt()).thenComparingInt(i -> i));
    int[] visit = new int[scripts.size()];
    Map<String, double[]> last = new HashMap<>(); // token -> {visit, everyone left at}
    for (int i : order) {
      ShopperScript sc = scripts.get(i);
      double left = sc.exitOf(Math.max(1, sc.group()));
      double[] v = last.get(sc.token());
      if (v == null) {
        v = new double[] {1, left};
        last.put(sc.token(), v);
      } else if (sc.enterAt() > v[1]) {
        v[0]++;
        v[1] = left;
      } else {
        v[1] = Math.max(v[1], left);
      }
      visit[i] = (int) v[0];
    }
    return visit;
  }

  /** The member of {@code token} who receives a hand-off at {@code at}: the first one inside throughout it. */
  static Optional<Person> receiver(List<Person> members, String token, double at) {
    return members.stream().filter(m -> m.token().equals(token) && m.insideDuring(at, at + HAND_OFF_SECONDS)).findFirst();
  }
}
