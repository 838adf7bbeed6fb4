package org.storeedge.checkout.weight;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.storeedge.config.StoreConfig;

/**
 * What each lane holds, by sku: the planogram's product plus anything returned there by mistake.
 * The prior for "which product left this lane" comes from here. Owned by the agent thread.
 */
public final class LaneInventory {
  private final Map<String, Map<String, Integer>> byLane = new HashMap<>();
  private final Map<String, String> plannedSku = new HashMap<>();

  public LaneInventory(StoreConfig config) {
    for (StoreConfig.Lane lane : config.lanes()) {
      Map<String, Integer> m = new LinkedHashMap<>();
      m.put(lane.sku(), lane.initialStock());
      byLane.put(lane.id(), m);
      plannedSku.put(lane.id(), lane.sku());
    }
  }

  public String plannedSku(String laneId) {
    return plannedSku.get(laneId);
  }

  /** Units of each sku on the lane (a copy). */
  public Map<String, Integer> contents(String laneId) {
    return Map.copyOf(byLane.getOrDefault(laneId, Map.of()));
  }

  public int count(String laneId, String sku) {
    return byLane.getOrDefault(laneId, Map.of()).getOrDefault(sku, 0);
  }

  /** Applies a signed change (negative: taken). Counts never go below zero. */
  public void apply(String laneId, String sku, int signedQty) {
    Map<String, Integer> m = byLane.computeIfAbsent(laneId, k -> new LinkedHashMap<>());
    int now = Math.max(0, m.getOrDefault(sku, 0) + signedQty);
    if (now == 0 && !sku.equals(plannedSku.get(laneId))) {
      m.remove(sku);
    } else {
      m.put(sku, now);
    }
  }

  /** Lanes holding a sku the planogram does not place there, with counts. */
  public Map<String, Map<String, Integer>> misplaced() {
    Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
    byLane.forEach((lane, m) -> m.forEach((sku, n) -> {
      if (n > 0 && !sku.equals(plannedSku.get(lane))) {
        out.computeIfAbsent(lane, k -> new LinkedHashMap<>()).put(sku, n);
      }
    }));
    return out;
  }
}
