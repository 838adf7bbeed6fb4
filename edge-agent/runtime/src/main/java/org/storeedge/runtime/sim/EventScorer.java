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
  private static final long TOLERANCE_MILLIS = 1500;

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

  public static Score score(List<GroundTruth.Action> actions, List<ShelfEvent> events) {
    List<GroundTruth.Action> real = actions.stream().filter(a -> a.kind() != GroundTruth.Kind.TOUCH).toList();
    record Change(ShelfEvent event, ShelfEvent.LaneChange lane) {}
    List<Change> changes = new ArrayList<>();
    for (ShelfEvent e : events) {
      for (ShelfEvent.LaneChange lc : e.lanes()) {
        changes.add(new Change(e, lc));
      }
    }
    boolean[] used = new boolean[changes.size()];
    int matched = 0;
    int correct = 0;
    List<String> misses = new ArrayList<>();
    for (GroundTruth.Action a : real) {
      long move = a.itemMove().toEpochMilli();
      int found = -1;
      for (int i = 0; i < changes.size(); i++) {
        Change c = changes.get(i);
        if (used[i] || !c.lane().laneId().equals(a.laneId())
            || Math.signum(c.lane().deltaGrams()) != Math.signum(a.signedQty())) {
          continue;
        }
        if (move >= c.event().startMillis() - TOLERANCE_MILLIS && move <= c.event().endMillis() + TOLERANCE_MILLIS) {
          found = i;
          break;
        }
      }
      if (found < 0) {
        misses.add("missed " + a.kind() + " " + Math.abs(a.signedQty()) + " x " + a.sku() + " at " + a.laneId() + " "
            + a.itemMove());
        continue;
      }
      used[found] = true;
      matched++;
      Change c = changes.get(found);
      var best = c.event().candidates().stream().filter(x -> x.laneId().equals(a.laneId())).findFirst();
      if (best.isPresent() && best.get().sku().equals(a.sku()) && best.get().count() == Math.abs(a.signedQty())) {
        correct++;
      } else {
        misses.add("wrong " + a.kind() + " at " + a.laneId() + " " + a.itemMove() + ": true " + Math.abs(a.signedQty())
            + " x " + a.sku() + " (" + Json.round(a.grams(), 1) + " g), measured " + Json.round(c.lane().deltaGrams(), 1)
            + " +- " + Json.round(c.lane().sigmaGrams(), 1) + " g, best " + best.map(b -> b.count() + " x " + b.sku() + " (" + Json.round(b.likelihood(), 3) + ")").orElse("none"));
      }
    }
    for (int i = 0; i < changes.size(); i++) {
      if (!used[i]) {
        Change c = changes.get(i);
        misses.add("spurious change " + Json.round(c.lane().deltaGrams(), 1) + " g at " + c.lane().laneId() + " "
            + java.time.Instant.ofEpochMilli(c.event().startMillis()));
      }
    }
    return new Score(real.size(), changes.size(), matched, correct, misses);
  }
}
