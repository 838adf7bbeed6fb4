package org.storeedge.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfig.Position;

/**
 * Turns {@link GeneratedTraffic} into concrete shopper scripts, deterministically from the seed.
 *
 * <p>Stock is reserved conservatively: every generated take is subtracted from the lane's stock
 * of its planned sku and put-backs are not credited back. So no take can find its lane short,
 * whatever order overlapping shoppers end up acting in.
 */
final class TrafficGenerator {
  private TrafficGenerator() {}

  static List<ShopperScript> generate(GeneratedTraffic g, long seed, StoreConfig store, StoreGeometry geo,
      List<ShopperScript> scripted) {
    Random r = Seeds.random(seed, "generated-traffic");
    Map<String, Integer> stock = new HashMap<>();
    for (StoreConfig.Lane l : store.lanes()) {
      stock.put(l.id(), l.initialStock());
    }
    double begin = 0;
    for (ShopperScript s : scripted) {
      begin = Math.max(begin, s.exitAt() + 5);
      for (ScenarioAction a : s.actions()) {
        StoreConfig.Lane l = store.lane(a.laneId()).orElseThrow();
        if (a.sku().orElse(l.sku()).equals(l.sku())) {
          stock.merge(l.id(), a.kind() == ScenarioAction.Kind.TAKE ? -a.qty() : a.qty(), Integer::sum);
        }
      }
    }
    List<StoreConfig.Lane> lanes = store.lanes();
    double ratePerSecond = g.shoppersPerHour() / 3600.0;
    double end = begin + g.durationSeconds();
    double arrival = begin;
    double previousExit = Double.NEGATIVE_INFINITY;
    List<ShopperScript> out = new ArrayList<>();
    while (true) {
      arrival += -Math.log(1 - r.nextDouble()) / ratePerSecond;
      if (arrival > end) {
        break;
      }
      double enter = g.overlap() ? arrival : Math.max(arrival, previousExit + 1.0);
      int items = 1 + poisson(r, g.meanItems() - 1);
      String token = String.format("gen-%04d", out.size() + 1);
      List<ScenarioAction> actions = new ArrayList<>();
      Position at = geo.entrance.position();
      double t = enter;
      double lastAction = Double.NEGATIVE_INFINITY;
      while (items > 0) {
        List<StoreConfig.Lane> open = lanes.stream().filter(l -> stock.get(l.id()) > 0).toList();
        if (open.isEmpty()) {
          break;
        }
        StoreConfig.Lane lane = open.get(r.nextInt(open.size()));
        int has = stock.get(lane.id());
        int qty = items >= 2 && has >= 2 && r.nextDouble() < 0.3 ? 2 : 1;
        Position stand = geo.standingPoint(lane.id());
        t = Math.max(t + StoreGeometry.walkSeconds(at, stand) + Seeds.uniform(r, 1, 3), lastAction + 3.5);
        actions.add(new ScenarioAction(round(t), ScenarioAction.Kind.TAKE, lane.id(), qty, java.util.Optional.empty(), Origin.of(token)));
        lastAction = round(t);
        stock.put(lane.id(), has - qty);
        items -= qty;
        if (r.nextDouble() < g.putBackProbability()) {
          t = t + Seeds.uniform(r, 4, 8);
          actions.add(new ScenarioAction(round(t), ScenarioAction.Kind.PUT_BACK, lane.id(), 1, java.util.Optional.empty(), Origin.of(token)));
          lastAction = round(t);
        }
        t = lastAction + 3.0;
        at = stand;
      }
      double exit = actions.isEmpty()
          ? enter + StoreGeometry.walkSeconds(at, geo.exit.position()) + Seeds.uniform(r, 5, 15)
          : lastAction + 3.5 + StoreGeometry.walkSeconds(at, geo.exit.position()) + Seeds.uniform(r, 1, 2);
      exit = round(exit);
      out.add(new ShopperScript(token, round(enter), exit, actions, Origin.of(token)));
      previousExit = exit;
    }
    return out;
  }

  /** Millisecond resolution, so scripts print and compare cleanly. */
  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }

  private static int poisson(Random r, double mean) {
    if (mean <= 0) {
      return 0;
    }
    double l = Math.exp(-mean);
    int k = 0;
    double p = r.nextDouble();
    while (p > l) {
      k++;
      p *= r.nextDouble();
    }
    return k;
  }
}
