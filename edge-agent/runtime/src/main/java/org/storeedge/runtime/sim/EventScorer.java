package org.storeedge.runtime.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.storeedge.core.event.ShelfEvent;
import org.storeedge.core.json.Json;
import org.storeedge.simulator.GroundTruth;

/**
 * Scores shelf events against the simulator's hand interactions, per lane: an event's lane change
 * matches a true take or put-back on the same lane with the same direction whose item movement
 * lies inside the event window (widened by a tolerance). Precision and recall of events, and of
 * (sku, count) using the event's best candidate. Touches (no net change) must produce no event.
 */
public final class EventScorer {
  /** How far outside an event's window a true item move still belongs to it, ms. */
  static final long TOLERANCE_MILLIS = 1500;

  private EventScorer() {}

  public record Score(int trueActions, int detectedChanges, int matched, int skuCountCorrect, List<String> misses)
      implements Json.JsonValue {
    public double precision() {
      return detectedChanges == 0 ? 1 : (double) matched / detectedChanges;
    }

    public double recall() {
      return trueActions == 0 ? 1 : (double) matched / trueActions;
    }

    /** Correct (sku, count) among all true actions (a missed event counts as wrong). */
    public double skuCountRecall() {
      return trueActions == 0 ? 1 : (double) skuCountCorrect / trueActions;
    }

    /** Correct (sku, count) among all detected changes. */
    public double skuCountPrecision() {
      return detectedChanges == 0 ? 1 : (double) skuCountCorrect / detectedChanges;
    }

    @Override
    public void writeJson(StringBuilder out) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("trueActions", trueActions);
      m.put("detectedChanges", detectedChanges);
      m.put("matched", matched);
      m.put("precision", Json.round(precision(), 5));
      m.put("recall", Json.round(recall(), 5));
      m.put("skuCountPrecision", Json.round(skuCountPrecision(), 5));
      m.put("skuCountRecall", Json.round(skuCountRecall(), 5));
      m.put("misses", misses.stream().limit(50).toList());
      Json.write(out, m);
    }
  }

  /**
   * Matches per lane. Several true interactions that fall inside one detected change's window are
   * netted (a take and a quick put-back of the same lane are physically one net change); true
   * interactions that net to zero and produced no change are correctly silent and not counted.
   */
  public static Score score(List<GroundTruth.Action> actions, List<ShelfEvent> events) {
    List<GroundTruth.Action> real = actions.stream().filter(a -> a.kind() != GroundTruth.Kind.TOUCH).toList();
    record Change(ShelfEvent event, ShelfEvent.LaneChange lane) {}
    List<Change> changes = new ArrayList<>();
    int netless = 0;
    for (ShelfEvent e : events) {
      for (ShelfEvent.LaneChange lc : e.lanes()) {
        changes.add(new Change(e, lc));
        netless += e.netless(lc) ? 1 : 0;
      }
    }
    boolean[] claimed = new boolean[real.size()];
    int matched = 0;
    int correct = 0;
    int truths = 0;
    List<String> misses = new ArrayList<>();
    for (Change c : changes) {
      Map<String, Integer> net = new LinkedHashMap<>();
      double grams = 0;
      for (int i = 0; i < real.size(); i++) {
        GroundTruth.Action a = real.get(i);
        long move = a.itemMove().toEpochMilli();
        if (!claimed[i] && a.laneId().equals(c.lane().laneId())
            && move >= c.event().startMillis() - TOLERANCE_MILLIS && move <= c.event().endMillis() + TOLERANCE_MILLIS) {
          claimed[i] = true;
          net.merge(a.sku(), a.signedQty(), Integer::sum);
          grams += Math.signum(a.signedQty()) * a.grams();
        }
      }
      if (c.event().netless(c.lane())) {
        // seen going an item's weight past its level and back (something put on, something taken
        // off): no net change to score; the actions it saw are not missed, nor is it spurious
        continue;
      }
      net.values().removeIf(v -> v == 0);
      if (net.isEmpty()) {
        misses.add("spurious change " + Json.round(c.lane().deltaGrams(), 1) + " g at " + c.lane().laneId() + " "
            + java.time.Instant.ofEpochMilli(c.event().startMillis()));
        continue;
      }
      truths++;
      int netQty = net.values().stream().mapToInt(Integer::intValue).sum();
      if (Math.signum(netQty) != Math.signum(c.lane().deltaGrams())) {
        misses.add("wrong direction at " + c.lane().laneId() + ": true " + net + ", measured "
            + Json.round(c.lane().deltaGrams(), 1) + " g");
        continue;
      }
      matched++;
      var best = c.event().candidates().stream().filter(x -> x.laneId().equals(c.lane().laneId())).findFirst();
      boolean right = net.size() == 1 && best.isPresent() && net.containsKey(best.get().sku())
          && Math.abs(net.get(best.get().sku())) == best.get().count();
      if (right) {
        correct++;
      } else {
        misses.add("wrong (sku, count) at " + c.lane().laneId() + " " + java.time.Instant.ofEpochMilli(c.event().startMillis())
            + ": true " + net + " (" + Json.round(grams, 1) + " g), measured " + Json.round(c.lane().deltaGrams(), 1)
            + " +- " + Json.round(c.lane().sigmaGrams(), 1) + " g, best "
            + best.map(b -> b.count() + " x " + b.sku() + " (" + Json.round(b.likelihood(), 3) + ")").orElse("none"));
      }
    }
    // unclaimed interactions: clustered per lane; a cluster that nets to zero was rightly silent
    Map<String, List<GroundTruth.Action>> open = new LinkedHashMap<>();
    for (int i = 0; i < real.size(); i++) {
      if (!claimed[i]) {
        open.computeIfAbsent(real.get(i).laneId(), k -> new ArrayList<>()).add(real.get(i));
      }
    }
    for (List<GroundTruth.Action> lane : open.values()) {
      List<GroundTruth.Action> cluster = new ArrayList<>();
      for (GroundTruth.Action a : lane) {
        if (!cluster.isEmpty() && a.itemMove().toEpochMilli()
            - cluster.get(cluster.size() - 1).itemMove().toEpochMilli() > 4 * TOLERANCE_MILLIS) {
          truths += missedCluster(cluster, misses);
          cluster.clear();
        }
        cluster.add(a);
      }
      truths += missedCluster(cluster, misses);
    }
    return new Score(truths, changes.size() - netless, matched, correct, misses);
  }

  private static int missedCluster(List<GroundTruth.Action> cluster, List<String> misses) {
    Map<String, Integer> net = new LinkedHashMap<>();
    for (GroundTruth.Action a : cluster) {
      net.merge(a.sku(), a.signedQty(), Integer::sum);
    }
    net.values().removeIf(v -> v == 0);
    if (net.isEmpty()) {
      return 0;
    }
    GroundTruth.Action a = cluster.get(0);
    misses.add("missed " + net + " at " + a.laneId() + " " + a.itemMove());
    return 1;
  }
}
