package org.storeedge.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfig.Position;

/**
 * Checks scripted shoppers against the store: lanes and skus exist, times are consistent, lanes
 * are within reach of where the shopper stands, a hand-off's receiver is in the store, and the
 * script is physically possible when played in time order (a take never exceeds what the lane
 * holds of that sku, a put-back or hand-off never passes on more than the shopper holds).
 */
final class ScenarioChecker {
  /** Shortest time between two actions of one shopper, seconds: one interaction lasts up to 2.8 s. */
  static final double MIN_ACTION_GAP_SECONDS = 3.0;
  /** Each further lane of a multi-lane grab makes the interaction up to this much longer, seconds. */
  static final double GRAB_EXTRA_SECONDS = 0.5;
  /** A lean keeps the shopper busy this long after it ends, seconds. */
  static final double AFTER_LEAN_SECONDS = 0.5;
  static final double MIN_LEAN_SECONDS = 0.5;
  static final double MAX_LEAN_SECONDS = 600;
  static final double MIN_LEAN_GRAMS = 1;
  static final double MAX_LEAN_GRAMS = 2000;
  /** Heaviest thing a shopper sets down on a shelf, grams (a full basket). */
  static final double MAX_SET_DOWN_GRAMS = 8000;
  static final int MAX_GRAB_LANES = 4;
  /**
   * Fastest a scripted shopper may have to walk between two places, m/s (people walk at about
   * 1.0-1.5 m/s; this allows hurrying, not running).
   */
  static final double MAX_WALK_METRES_PER_SECOND = 2.5;

  private ScenarioChecker() {}

  /** How long an action keeps its shopper busy from {@code at}, seconds. */
  static double busySeconds(ScenarioAction a) {
    return switch (a.kind()) {
      case LEAN, SET_DOWN, BROWSE -> a.seconds() + AFTER_LEAN_SECONDS;
      case GIVE -> MIN_ACTION_GAP_SECONDS;
      case TAKE, PUT_BACK -> MIN_ACTION_GAP_SECONDS + GRAB_EXTRA_SECONDS * (a.parts().size() - 1);
    };
  }

  static List<ConfigProblem> check(Scenario scenario, StoreConfig store) {
    return check(scenario.shoppers(), store);
  }

  /** The YAML key an action named its lanes (or hand-off) with, for problem locations. */
  static String mainKey(ScenarioAction a) {
    for (String k : List.of("take", "putBack", "grab", "lean", "setDown", "give", "browse")) {
      if (a.origin().keys().containsKey(k)) {
        return k;
      }
    }
    return switch (a.kind()) {
      case TAKE -> "take";
      case PUT_BACK -> "putBack";
      case LEAN -> "lean";
      case SET_DOWN -> "setDown";
      case GIVE -> "give";
      case BROWSE -> "browse";
    };
  }

  private static String partKey(ScenarioAction a, int j) {
    String k = mainKey(a);
    return a.parts().size() > 1 || k.equals("grab") ? k + "[" + j + "]" : k;
  }

  /** One action (or a hand-off received) occupying a person over [start, end). */
  private record Busy(double start, double end, ScenarioAction a, boolean received, String giver) {}

  static List<ConfigProblem> check(List<ShopperScript> shoppers, StoreConfig store) {
    List<ConfigProblem> problems = new ArrayList<>();
    StoreGeometry geo = new StoreGeometry(store);
    Set<String> allTokens = new HashSet<>();
    for (ShopperScript sh : shoppers) {
      allTokens.add(sh.token());
    }
    boolean groupsOk = true;
    for (ShopperScript sh : shoppers) {
      Origin o = sh.origin();
      if (sh.enterAt() < 0) {
        problems.add(o.problem("enterAt", "must be >= 0 (got: " + YamlTree.fmt(sh.enterAt()) + ")"));
      }
      if (!(sh.exitAt() > sh.enterAt())) {
        problems.add(o.problem("exitAt", "must be after enterAt " + YamlTree.fmt(sh.enterAt()) + " (got: " + YamlTree.fmt(sh.exitAt()) + ")"));
      }
      if (sh.group() < 1 || sh.group() > ShopperScript.MAX_GROUP) {
        problems.add(o.problem("group", "must be a number of people in 1.." + ShopperScript.MAX_GROUP + " (got: " + sh.group() + ")"));
        groupsOk = false;
      }
    }
    if (!groupsOk) {
      return problems;
    }
    List<Person> people = Person.expand(shoppers);
    Map<Person, List<Busy>> busy = new LinkedHashMap<>();
    people.forEach(p -> busy.put(p, new ArrayList<>()));

    record Step(int shopper, int index, ShopperScript who, ScenarioAction a, Person me, Person receiver) {}
    List<Step> steps = new ArrayList<>();
    Map<Person, List<Spot>> spots = new LinkedHashMap<>();
    people.forEach(p -> spots.put(p, new ArrayList<>()));
    record Give(Person giver, Person receiver, ScenarioAction a) {}
    List<Give> gives = new ArrayList<>();
    for (int s = 0; s < shoppers.size(); s++) {
      ShopperScript sh = shoppers.get(s);
      List<ScenarioAction> sorted = sh.actions().stream().sorted(Comparator.comparingDouble(ScenarioAction::at)).toList();
      for (int i = 0; i < sorted.size(); i++) {
        ScenarioAction a = sorted.get(i);
        Origin ao = a.origin();
        if (a.member() < 1 || a.member() > sh.group()) {
          problems.add(ao.problem("member", sh.group() == 1 ? "only a group has members; this shopper is one person (got: " + a.member() + ")"
              : "must be a member of the group, 1.." + sh.group() + " (got: " + a.member() + ")"));
          continue;
        }
        final int si = s;
        Person me = people.stream().filter(p -> p.scriptIndex() == si && p.number() == a.member()).findFirst().orElseThrow();
        int before = problems.size();
        double end = a.at() + (a.rests() ? a.seconds() : 0);
        String who = sh.group() > 1 ? "member " + a.member() + "'s visit " : "the shopper's visit ";
        if (a.at() < me.enter() || end > me.exit()) {
          problems.add(ao.problem(a.rests() && a.at() >= me.enter() && a.at() <= me.exit() ? "seconds" : "at",
              "must be within " + who + YamlTree.fmt(me.enter()) + ".." + YamlTree.fmt(me.exit()) + " (got: "
                  + YamlTree.fmt(a.at()) + (end > a.at() ? ".." + YamlTree.fmt(end) : "") + ")"));
        }
        boolean ok = switch (a.kind()) {
          case TAKE, PUT_BACK -> checkShelfAction(a, store, geo, problems);
          case LEAN, SET_DOWN -> checkLean(a, store, geo, problems);
          case BROWSE -> checkStay(a, store, problems);
          case GIVE -> checkGive(a, sh, store, allTokens, problems);
        };
        Person receiver = null;
        if (ok && a.kind() == ScenarioAction.Kind.GIVE) {
          receiver = Person.receiver(people, a.to().orElseThrow(), a.at()).orElse(null);
          if (receiver == null) {
            problems.add(ao.problem("to", "shopper '" + a.to().get() + "' is not in the store throughout the hand-off "
                + YamlTree.fmt(a.at()) + ".." + YamlTree.fmt(a.at() + Person.HAND_OFF_SECONDS)));
            ok = false;
          } else {
            busy.get(receiver).add(new Busy(a.at(), a.at() + busySeconds(a), a, true, sh.token()));
          }
        }
        busy.get(me).add(new Busy(a.at(), a.at() + busySeconds(a), a, false, sh.token()));
        if (ok) {
          steps.add(new Step(s, i, sh, a, me, receiver));
        }
        if (ok && problems.size() == before) {
          if (a.kind() == ScenarioAction.Kind.GIVE) {
            gives.add(new Give(me, receiver, a));
          } else {
            double until = a.rests() ? a.at() + a.seconds() : a.at() + busySeconds(a) - 0.2;
            spots.get(me).add(new Spot(a.at(), until, geo.standFor(a), "lane " + StoreGeometry.standingLane(a), a));
          }
        }
      }
    }
    busy.forEach((p, list) -> checkOverlaps(p, list, store, geo, problems));
    if (geo.entrance != null) {
      for (Give g : gives) {
        double at = g.a().at();
        Spot last = spots.get(g.giver()).stream().filter(x -> x.start() < at && x.a().kind() != ScenarioAction.Kind.GIVE)
            .reduce((x, y) -> x.start() >= y.start() ? x : y).orElse(null);
        Position meet = last == null ? geo.lobby() : last.at();
        String where = last == null ? "inside the entrance" : "at " + last.what();
        spots.get(g.giver()).add(new Spot(at, at + Person.HAND_OFF_SECONDS, meet, "the hand-off " + where, g.a()));
        spots.get(g.receiver()).add(new Spot(at, at + Person.HAND_OFF_SECONDS, meet, "the hand-off " + where, g.a()));
      }
      spots.forEach((p, list) -> checkWalking(p, list, geo, problems));
    }

    // Play the script in time order over lane stock and shopper holdings (one per visit: a
    // shopper who left and came back in has paid for what it held).
    steps.sort(Comparator.comparingDouble((Step st) -> st.a().at()).thenComparingInt(Step::shopper).thenComparingInt(Step::index));
    Map<String, Map<String, Integer>> laneStock = new HashMap<>();
    for (StoreConfig.Lane l : store.lanes()) {
      Map<String, Integer> m = new HashMap<>();
      m.put(l.sku(), l.initialStock());
      laneStock.put(l.id(), m);
    }
    Map<String, Map<String, Integer>> holdings = new HashMap<>();
    for (Step st : steps) {
      ScenarioAction a = st.a();
      String when = " at " + YamlTree.fmt(a.at()) + " s";
      Map<String, Integer> held = holdings.computeIfAbsent(st.me().visitKey(), k -> new HashMap<>());
      if (a.kind() == ScenarioAction.Kind.GIVE) {
        String sku = a.sku().orElseThrow();
        int has = held.getOrDefault(sku, 0);
        if (a.qty() > has) {
          problems.add(a.origin().problem("qty", "shopper " + st.who().token() + " cannot give " + a.qty() + " x " + sku
              + " to " + a.to().orElseThrow() + when + ": holds " + has));
          continue;
        }
        held.merge(sku, -a.qty(), Integer::sum);
        holdings.computeIfAbsent(st.receiver().visitKey(), k -> new HashMap<>()).merge(sku, a.qty(), Integer::sum);
        continue;
      }
      if (!a.movesUnits()) {
        continue;
      }
      for (int j = 0; j < a.parts().size(); j++) {
        ScenarioAction.Part part = a.parts().get(j);
        StoreConfig.Lane lane = store.lane(part.laneId()).orElseThrow();
        String sku = part.sku().orElse(lane.sku());
        Map<String, Integer> stock = laneStock.get(lane.id());
        String qtyKey = a.parts().size() > 1 ? partKey(a, j) : "qty";
        if (a.kind() == ScenarioAction.Kind.TAKE) {
          int has = stock.getOrDefault(sku, 0);
          if (part.qty() > has) {
            problems.add(a.origin().problem(qtyKey, "take of " + part.qty() + " x " + sku + " from lane " + lane.id() + when
                + " exceeds the lane's stock (has: " + has + ")"));
            continue;
          }
          stock.merge(sku, -part.qty(), Integer::sum);
          held.merge(sku, part.qty(), Integer::sum);
        } else {
          int has = held.getOrDefault(sku, 0);
          if (store.checkout().isStaff(st.who().token())) {
            // staff put back what they hold first; the rest is a restock from the store room
            held.merge(sku, -Math.min(has, part.qty()), Integer::sum);
            stock.merge(sku, part.qty(), Integer::sum);
            continue;
          }
          if (part.qty() > has) {
            String hint = part.sku().isEmpty() && has == 0 && held.values().stream().anyMatch(v -> v > 0)
                ? "; to return another product to this lane, name it with 'sku:'" : "";
            String key = a.parts().size() > 1 ? partKey(a, j) : part.sku().isPresent() ? "sku" : "qty";
            problems.add(a.origin().problem(key, "shopper " + st.who().token() + " cannot put back "
                + part.qty() + " x " + sku + " to lane " + lane.id() + when + ": holds " + has + hint));
            continue;
          }
          held.merge(sku, -part.qty(), Integer::sum);
          stock.merge(sku, part.qty(), Integer::sum);
        }
      }
    }
    return problems;
  }

  /** Where a person is over [start, end] for an action (a hand-off: where giver and receiver meet). */
  private record Spot(double start, double end, Position at, String what, ScenarioAction a) {}

  /**
   * Nobody has to walk faster than {@link #MAX_WALK_METRES_PER_SECOND}: from the entrance to its
   * first place, between places (from the latest end of one interaction to the next), and to the
   * exit.
   */
  private static void checkWalking(Person p, List<Spot> list, StoreGeometry geo, List<ConfigProblem> problems) {
    if (!(p.exit() > p.enter())) {
      return; // reported already
    }
    list.sort(Comparator.comparingDouble(Spot::start));
    Position at = geo.entrance.position();
    double free = p.enter();
    String from = "the entrance";
    String who = p.script().group() > 1 ? "member " + p.number() + " of " + p.token() : "shopper " + p.token();
    Spot previous = null;
    for (Spot s : list) {
      if (previous != null && previous.a().rests() && s.start() < previous.end()) {
        free = Math.max(free, s.end()); // during its own lean it stays where it leans
        continue;
      }
      previous = s;
      String problem = tooFast(who, at, from, s.at(), s.what(), s.start() - free);
      if (problem != null) {
        problems.add(s.a().origin().problem("at", problem));
      }
      at = s.at();
      from = s.what();
      free = Math.max(free, s.end());
    }
    String problem = tooFast(who, at, from, geo.exit.position(), "the exit", p.exit() - free);
    if (problem != null) {
      problems.add(p.script().origin().problem("exitAt", problem));
    }
  }

  private static String tooFast(String who, Position a, String from, Position b, String to, double seconds) {
    double d = a.distanceTo(b);
    if (d < 0.05 || seconds > 0 && d / seconds <= MAX_WALK_METRES_PER_SECOND) {
      return null;
    }
    if (seconds <= 0) {
      return String.format(java.util.Locale.ROOT, "%s would have to be at %s and at %s (%.1f m apart) at the same"
          + " moment: the earlier one is not over yet; leave at least %.1f s after it ends (%s m/s at most)", who, from,
          to, d, d / MAX_WALK_METRES_PER_SECOND, YamlTree.fmt(MAX_WALK_METRES_PER_SECOND));
    }
    return String.format(java.util.Locale.ROOT, "%s would have to walk %.1f m from %s to %s in %s s; leave at least %.1f s"
        + " (%s m/s at most)", who, d, from, to, YamlTree.fmt(Math.round(seconds * 10) / 10.0),
        d / MAX_WALK_METRES_PER_SECOND, YamlTree.fmt(MAX_WALK_METRES_PER_SECOND));
  }

  private static boolean checkShelfAction(ScenarioAction a, StoreConfig store, StoreGeometry geo, List<ConfigProblem> problems) {
    Origin ao = a.origin();
    boolean ok = true;
    if (a.parts().size() > MAX_GRAB_LANES) {
      problems.add(ao.problem(mainKey(a), "one hand interaction reaches at most " + MAX_GRAB_LANES + " lanes (got: " + a.parts().size() + ")"));
      return false;
    }
    Set<String> seen = new HashSet<>();
    String shelf = null;
    for (int j = 0; j < a.parts().size(); j++) {
      ScenarioAction.Part p = a.parts().get(j);
      String key = partKey(a, j);
      if (p.qty() < 1) {
        problems.add(ao.problem(a.parts().size() > 1 ? key : "qty", "must be >= 1 (got: " + p.qty() + ")"));
        ok = false;
      }
      if (store.lane(p.laneId()).isEmpty()) {
        problems.add(ao.problem(key, "unknown lane '" + p.laneId() + "'"));
        ok = false;
        continue;
      }
      if (!seen.add(p.laneId())) {
        problems.add(ao.problem(key, "lane '" + p.laneId() + "' appears twice in one hand interaction; add the quantities"));
        ok = false;
      }
      String s = store.shelfOfLane(p.laneId()).map(StoreConfig.Shelf::id).orElse("");
      if (shelf != null && !shelf.equals(s)) {
        problems.add(ao.problem(key, "lanes of one hand interaction must be on the same shelf (lane '" + p.laneId() + "' is on "
            + s + ", the first on " + shelf + ")"));
        ok = false;
      }
      shelf = shelf == null ? s : shelf;
      if (p.sku().isPresent() && store.product(p.sku().get()).isEmpty()) {
        problems.add(ao.problem(a.parts().size() > 1 ? key : "sku", "unknown sku '" + p.sku().get() + "' (not in the store catalog)"));
        ok = false;
      }
    }
    return checkFrom(a, store, problems) && ok && checkReach(a, store, geo, problems);
  }

  private static boolean checkLean(ScenarioAction a, StoreConfig store, StoreGeometry geo, List<ConfigProblem> problems) {
    boolean ok = checkStay(a, store, problems);
    double maxGrams = a.kind() == ScenarioAction.Kind.SET_DOWN ? MAX_SET_DOWN_GRAMS : MAX_LEAN_GRAMS;
    if (!(a.grams() >= MIN_LEAN_GRAMS && a.grams() <= maxGrams)) {
      problems.add(a.origin().problem("grams", "must be in " + YamlTree.fmt(MIN_LEAN_GRAMS) + ".." + YamlTree.fmt(maxGrams)
          + " (got: " + YamlTree.fmt(a.grams()) + ")"));
      ok = false;
    }
    return checkFrom(a, store, problems) && ok && checkReach(a, store, geo, problems);
  }

  /** What every stay at a lane (a lean, a set-down, a look) needs: a known lane and a duration in range. */
  private static boolean checkStay(ScenarioAction a, StoreConfig store, List<ConfigProblem> problems) {
    boolean ok = true;
    if (store.lane(a.laneId()).isEmpty()) {
      problems.add(a.origin().problem(mainKey(a), "unknown lane '" + a.laneId() + "'"));
      ok = false;
    }
    if (!(a.seconds() >= MIN_LEAN_SECONDS && a.seconds() <= MAX_LEAN_SECONDS)) {
      problems.add(a.origin().problem("seconds", "must be in " + YamlTree.fmt(MIN_LEAN_SECONDS) + ".."
          + YamlTree.fmt(MAX_LEAN_SECONDS) + " (got: " + YamlTree.fmt(a.seconds()) + ")"));
      ok = false;
    }
    return ok;
  }

  private static boolean checkGive(ScenarioAction a, ShopperScript sh, StoreConfig store, Set<String> tokens,
      List<ConfigProblem> problems) {
    Origin ao = a.origin();
    boolean ok = true;
    String sku = a.sku().orElse("");
    if (store.product(sku).isEmpty()) {
      problems.add(ao.problem("give", "unknown sku '" + sku + "' (not in the store catalog)"));
      ok = false;
    }
    if (a.qty() < 1) {
      problems.add(ao.problem("qty", "must be >= 1 (got: " + a.qty() + ")"));
      ok = false;
    }
    String to = a.to().orElse("");
    if (to.equals(sh.token())) {
      problems.add(ao.problem("to", "a hand-off goes to another shopper; '" + to + "' is this shopper's own token"));
      ok = false;
    } else if (!tokens.contains(to)) {
      problems.add(ao.problem("to", "no shopper with token '" + to + "' in this scenario"));
      ok = false;
    }
    return ok;
  }

  private static boolean checkFrom(ScenarioAction a, StoreConfig store, List<ConfigProblem> problems) {
    if (a.from().isPresent() && store.lane(a.from().get()).isEmpty()) {
      problems.add(a.origin().problem("from", "unknown lane '" + a.from().get() + "'"));
      return false;
    }
    return true;
  }

  private static boolean checkReach(ScenarioAction a, StoreConfig store, StoreGeometry geo, List<ConfigProblem> problems) {
    Position stand = geo.standFor(a);
    boolean ok = true;
    for (int j = 0; j < a.parts().size(); j++) {
      ScenarioAction.Part p = a.parts().get(j);
      double d = stand.distanceTo(laneCentre(store, p.laneId()));
      if (d > StoreGeometry.MAX_REACH_METRES + 1e-9) {
        String where = a.from().map(f -> "the standing point of lane " + f).orElse("where the shopper stands for this interaction");
        // just past the limit reads as the limit at two decimals: show as many as it takes
        String shown = String.format(java.util.Locale.ROOT, "%.2f", d);
        for (int digits = 3; digits <= 6 && Double.parseDouble(shown) <= StoreGeometry.MAX_REACH_METRES; digits++) {
          shown = String.format(java.util.Locale.ROOT, "%." + digits + "f", d);
        }
        problems.add(a.origin().problem(a.from().isPresent() ? "from" : partKey(a, j), "lane '" + p.laneId() + "' is "
            + shown + " m from " + where + ", more than the " + YamlTree.fmt(StoreGeometry.MAX_REACH_METRES)
            + " m a shopper reaches"));
        ok = false;
        continue;
      }
      // a lane is reached from in front of its shelf, not over it from the other side (the far
      // face of a gondola, back to back)
      double[] ax = geo.axes(p.laneId());
      Position lane = laneCentre(store, p.laneId());
      double ahead = (stand.x() - lane.x()) * ax[2] + (stand.y() - lane.y()) * ax[3];
      if (ahead < 0) {
        String where = a.from().map(f -> "the standing point of lane " + f).orElse("where the shopper stands for this interaction");
        problems.add(a.origin().problem(a.from().isPresent() ? "from" : partKey(a, j), "lane '" + p.laneId()
            + "' faces away from " + where + " (" + String.format(java.util.Locale.ROOT, "%.2f", -ahead)
            + " m behind its front): a shopper reaches a lane from in front of its shelf"));
        ok = false;
      }
    }
    return ok;
  }

  private static Position laneCentre(StoreConfig store, String laneId) {
    return store.lane(laneId).orElseThrow().position();
  }

  /**
   * One person does one thing at a time: its actions (and hand-offs it receives) must not overlap,
   * except a take or put-back during its own lean, at lanes within reach of where it leans (one
   * hand or elbow on the shelf, the other hand busy).
   */
  private static void checkOverlaps(Person p, List<Busy> list, StoreConfig store, StoreGeometry geo, List<ConfigProblem> problems) {
    list.sort(Comparator.comparingDouble(Busy::start));
    for (int j = 1; j < list.size(); j++) {
      Busy b = list.get(j);
      for (int i = j - 1; i >= 0; i--) {
        Busy a = list.get(i);
        if (b.start() >= a.end()) {
          continue;
        }
        if (a.a().rests() && !a.received() && !b.received() && b.a().movesUnits()
            && b.start() < a.start() + a.a().seconds() && withinReach(a.a(), b.a(), store, geo)) {
          continue;
        }
        String prev = a.received() ? "a hand-off it receives from " + a.giver() + " at " + YamlTree.fmt(a.start())
            : a.a().rests() ? (a.a().kind() == ScenarioAction.Kind.LEAN ? "its lean from "
                : a.a().kind() == ScenarioAction.Kind.BROWSE ? "its look at lane " + a.a().laneId() + " from "
                : "what it set down from ")
                + YamlTree.fmt(a.start()) + " to "
                + YamlTree.fmt(a.start() + a.a().seconds()) : null;
        if (b.received()) {
          problems.add(b.a().origin().problem("at", "the receiver " + p.token() + " is busy then (with "
              + (a.received() ? "another hand-off" : "its action at " + YamlTree.fmt(a.start())) + "); a hand-off needs "
              + YamlTree.fmt(busySeconds(b.a())) + " s of both shoppers"));
        } else if (prev == null) {
          problems.add(b.a().origin().problem("at", "must be at least " + YamlTree.fmt(a.end() - a.start()) + " s after the shopper's previous action at "
              + YamlTree.fmt(a.start()) + " (got: " + YamlTree.fmt(b.start()) + ")"));
        } else {
          problems.add(b.a().origin().problem("at", "overlaps " + prev + " (got: " + YamlTree.fmt(b.start()) + ")"
              + (a.a().kind() == ScenarioAction.Kind.LEAN ? "; during a lean only a take or put-back within reach is possible"
                  : a.a().kind() == ScenarioAction.Kind.BROWSE ? "; while it looks only a take or put-back within reach is possible"
                  : a.a().rests() ? "; while it lies there only a take or put-back within reach is possible" : "")));
        }
        break;
      }
    }
  }

  private static boolean withinReach(ScenarioAction lean, ScenarioAction inner, StoreConfig store, StoreGeometry geo) {
    if (store.lane(lean.laneId()).isEmpty() || lean.from().isPresent() && store.lane(lean.from().get()).isEmpty()) {
      return false;
    }
    Position stand = geo.standFor(lean);
    for (ScenarioAction.Part p : inner.parts()) {
      if (store.lane(p.laneId()).isEmpty() || stand.distanceTo(laneCentre(store, p.laneId())) > StoreGeometry.MAX_REACH_METRES + 1e-9) {
        return false;
      }
    }
    return true;
  }
}
