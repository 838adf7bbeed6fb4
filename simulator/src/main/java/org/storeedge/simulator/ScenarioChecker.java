package org.storeedge.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.StoreConfig;

/**
 * Checks scripted shoppers against the store: lanes and skus exist, times are consistent, and
 * the script is physically possible when played in time order (a take never exceeds what the
 * lane holds, a put-back never returns more than the shopper holds).
 */
final class ScenarioChecker {
  /** Shortest time between two actions of one shopper, seconds: one interaction lasts up to 2.8 s. */
  static final double MIN_ACTION_GAP_SECONDS = 3.0;

  private ScenarioChecker() {}

  static List<ConfigProblem> check(Scenario scenario, StoreConfig store) {
    return check(scenario.shoppers(), store);
  }

  static List<ConfigProblem> check(List<ShopperScript> shoppers, StoreConfig store) {
    List<ConfigProblem> problems = new ArrayList<>();
    Set<String> tokens = new HashSet<>();
    record Step(int shopper, int index, ShopperScript who, ScenarioAction a) {}
    List<Step> steps = new ArrayList<>();
    for (int s = 0; s < shoppers.size(); s++) {
      ShopperScript sh = shoppers.get(s);
      Origin o = sh.origin();
      if (!tokens.add(sh.token())) {
        problems.add(o.problem("token", "token '" + sh.token() + "' is used by another shopper"));
      }
      if (sh.enterAt() < 0) {
        problems.add(o.problem("enterAt", "must be >= 0 (got: " + YamlTree.fmt(sh.enterAt()) + ")"));
      }
      if (!(sh.exitAt() > sh.enterAt())) {
        problems.add(o.problem("exitAt", "must be after enterAt " + YamlTree.fmt(sh.enterAt()) + " (got: " + YamlTree.fmt(sh.exitAt()) + ")"));
      }
      List<ScenarioAction> sorted = sh.actions().stream().sorted(Comparator.comparingDouble(ScenarioAction::at)).toList();
      for (int i = 0; i < sorted.size(); i++) {
        ScenarioAction a = sorted.get(i);
        Origin ao = a.origin();
        boolean ok = true;
        if (a.at() < sh.enterAt() || a.at() > sh.exitAt()) {
          problems.add(ao.problem("at", "must be within the shopper's visit " + YamlTree.fmt(sh.enterAt()) + ".." + YamlTree.fmt(sh.exitAt()) + " (got: " + YamlTree.fmt(a.at()) + ")"));
        }
        if (i > 0 && a.at() - sorted.get(i - 1).at() < MIN_ACTION_GAP_SECONDS) {
          problems.add(ao.problem("at", "must be at least " + YamlTree.fmt(MIN_ACTION_GAP_SECONDS) + " s after the shopper's previous action at "
              + YamlTree.fmt(sorted.get(i - 1).at()) + " (got: " + YamlTree.fmt(a.at()) + ")"));
        }
        if (a.qty() < 1) {
          problems.add(ao.problem("qty", "must be >= 1 (got: " + a.qty() + ")"));
          ok = false;
        }
        String laneKey = a.kind() == ScenarioAction.Kind.TAKE ? "take" : "putBack";
        if (store.lane(a.laneId()).isEmpty()) {
          problems.add(ao.problem(laneKey, "unknown lane '" + a.laneId() + "'"));
          ok = false;
        }
        if (a.sku().isPresent() && store.product(a.sku().get()).isEmpty()) {
          problems.add(ao.problem("sku", "unknown sku '" + a.sku().get() + "' (not in the store catalog)"));
          ok = false;
        }
        if (ok) {
          steps.add(new Step(s, i, sh, a));
        }
      }
    }
    // Play the script in time order over lane stock and shopper holdings.
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
      StoreConfig.Lane lane = store.lane(a.laneId()).orElseThrow();
      String sku = a.sku().orElse(lane.sku());
      Map<String, Integer> stock = laneStock.get(lane.id());
      Map<String, Integer> held = holdings.computeIfAbsent(st.who().token(), k -> new HashMap<>());
      String when = " at " + YamlTree.fmt(a.at()) + " s";
      if (a.kind() == ScenarioAction.Kind.TAKE) {
        int has = stock.getOrDefault(sku, 0);
        if (a.qty() > has) {
          problems.add(a.origin().problem("qty", "take of " + a.qty() + " x " + sku + " from lane " + lane.id() + when
              + " exceeds the lane's stock (has: " + has + ")"));
          continue;
        }
        stock.merge(sku, -a.qty(), Integer::sum);
        held.merge(sku, a.qty(), Integer::sum);
      } else {
        int has = held.getOrDefault(sku, 0);
        if (a.qty() > has) {
          String hint = a.sku().isEmpty() && has == 0 && held.values().stream().anyMatch(v -> v > 0)
              ? "; to return another product to this lane, name it with 'sku:'" : "";
          problems.add(a.origin().problem(a.sku().isPresent() ? "sku" : "qty", "shopper " + st.who().token() + " cannot put back "
              + a.qty() + " x " + sku + " to lane " + lane.id() + when + ": holds " + has + hint));
          continue;
        }
        held.merge(sku, -a.qty(), Integer::sum);
        stock.merge(sku, a.qty(), Integer::sum);
      }
    }
    return problems;
  }
}
