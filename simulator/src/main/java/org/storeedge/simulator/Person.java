package org.storeedge.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One person in the store: a shopper script, or one member of a group script. Members are
 * ordered by gate entry (then script order), which is also the order of their track ids.
 *
 * @param scriptIndex index of the script in the list it was expanded from
 * @param number 1-based member number within its script
 */
record Person(ShopperScript script, int scriptIndex, int number, double enter, double exit) {
  /** How long a hand-off keeps both shoppers together, seconds. */
  static final double HAND_OFF_SECONDS = 1.5;

  String token() {
    return script.token();
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
    List<Person> out = new ArrayList<>();
    for (int s = 0; s < scripts.size(); s++) {
      ShopperScript sc = scripts.get(s);
      for (int k = 1; k <= Math.max(1, sc.group()); k++) {
        out.add(new Person(sc, s, k, sc.enterOf(k), sc.exitOf(k)));
      }
    }
    out.sort(Comparator.comparingDouble(Person::enter).thenComparingInt(Person::scriptIndex).thenComparingInt(Person::number));
    return out;
  }

  /** The member of {@code token} who receives a hand-off at {@code at}: the first one inside throughout it. */
  static Optional<Person> receiver(List<Person> members, String token, double at) {
    return members.stream().filter(m -> m.token().equals(token) && m.insideDuring(at, at + HAND_OFF_SECONDS)).findFirst();
  }
}
