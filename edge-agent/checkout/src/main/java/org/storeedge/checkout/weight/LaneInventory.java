package org.storeedge.checkout.weight;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.storeedge.config.StoreConfig;

/**
 * What each lane holds, by sku: the planogram's product plus anything returned there by mistake.
 * The prior for "which product left this lane" comes from here. Owned by the agent thread.
 */
public final class LaneInventory {
  private final Map<String, Map<String, Integer>> byLane = new HashMap<>();
  private final Map<String, String> plannedSku = new HashMap<>();
  /** Grams of each misplaced unit as weighed when it was put there, by lane and sku. */
  private final Map<String, Map<String, List<Double>>> measured = new HashMap<>();

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

  /**
   * As {@link #apply(String, String, int)}, for units weighed on the lane's cell: a misplaced
   * product put there keeps the weight it was measured at (a later pick of it is expected at that
   * weight, not anywhere in the catalog's spread); one taken away drops the unit nearest
   * {@code unitGrams}. The planned product's units are not kept (the catalog describes them).
   */
  public void apply(String laneId, String sku, int signedQty, double unitGrams) {
    apply(laneId, sku, signedQty);
    if (sku.equals(plannedSku.get(laneId))) {
      return;
    }
    Map<String, List<Double>> lane = measured.computeIfAbsent(laneId, k -> new HashMap<>());
    List<Double> units = lane.computeIfAbsent(sku, k -> new ArrayList<>());
    if (signedQty > 0 && unitGrams > 0) {
      for (int i = 0; i < signedQty; i++) {
        units.add(unitGrams);
      }
    } else {
      for (int i = 0; i < -signedQty && !units.isEmpty(); i++) {
        int best = 0;
        for (int j = 1; j < units.size(); j++) {
          if (Math.abs(units.get(j) - unitGrams) < Math.abs(units.get(best) - unitGrams)) {
            best = j;
          }
        }
        units.remove(best);
      }
    }
    int held = count(laneId, sku);
    while (units.size() > held) {
      units.remove(0); // more weighed than held (a miscount): the oldest measurement goes
    }
    if (units.isEmpty()) {
      lane.remove(sku);
    }
  }

  /** The weighed misplaced units of a lane: sku to grams of each unit (a copy). */
  public Map<String, double[]> measuredUnits(String laneId) {
    Map<String, double[]> out = new HashMap<>();
    measured.getOrDefault(laneId, Map.of())
        .forEach((sku, units) -> out.put(sku, units.stream().mapToDouble(Double::doubleValue).toArray()));
    return out;
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

  /**
   * What one lane holds.
   *
   * @param plannedSku the product the planogram places there
   * @param units units by sku (the planned one and any misplaced)
   * @param measuredGrams weighed misplaced units by sku
   */
  public record Contents(String plannedSku, Map<String, Integer> units, Map<String, List<Double>> measuredGrams) {
    public Contents {
      units = Map.copyOf(units);
      measuredGrams = Map.copyOf(measuredGrams);
    }
  }

  /** What every lane holds now (copies), for a snapshot. */
  public Map<String, Contents> export() {
    Map<String, Contents> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : plannedSku.entrySet()) {
      Map<String, List<Double>> grams = new LinkedHashMap<>();
      measured.getOrDefault(e.getKey(), Map.of()).forEach((sku, units) -> grams.put(sku, List.copyOf(units)));
      out.put(e.getKey(), new Contents(e.getValue(), byLane.getOrDefault(e.getKey(), Map.of()), grams));
    }
    return out;
  }

  /**
   * Takes over what a lane held before a restart, when the planogram still places the same
   * product there (a lane given another product starts from the store file's stock); false when
   * not taken over. Lanes this store no longer has are ignored.
   */
  public boolean restore(String laneId, Contents before) {
    String planned = before.plannedSku();
    if (!plannedSku.containsKey(laneId) || !plannedSku.get(laneId).equals(planned)) {
      return false;
    }
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put(planned, 0);
    before.units().forEach((sku, n) -> {
      if (n != null && n > 0) {
        m.put(sku, n);
      }
    });
    byLane.put(laneId, m);
    Map<String, List<Double>> lane = new HashMap<>();
    before.measuredGrams().forEach((sku, g) -> {
      if (m.containsKey(sku) && !sku.equals(planned) && !g.isEmpty()) {
        lane.put(sku, new ArrayList<>(g));
      }
    });
    if (lane.isEmpty()) {
      measured.remove(laneId);
    } else {
      measured.put(laneId, lane);
    }
    return true;
  }
}
