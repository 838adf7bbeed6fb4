package org.storeedge.checkout.weight;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.json.Json;

/**
 * Stock per lane from the {@link LaneInventory}: a level for every change, and an alert when a lane
 * crosses into low stock (at most {@code lowFraction} of capacity) or runs out, or holds products
 * the planogram does not place there. Runs on the agent thread.
 */
public final class StockMonitor {
  /** Stock state of a lane. */
  public enum Level {
    OK,
    LOW,
    OUT
  }

  /** One lane's stock after a change; {@code alert} is set when its level changed. */
  public record StockUpdate(String laneId, String sku, int count, int capacity, Level level, Level previous,
      Map<String, Integer> misplaced, long atMillis) {
    public boolean alert() {
      return level != previous && level != Level.OK;
    }

    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", alert() ? "stock-alert" : "stock");
      m.put("laneId", laneId);
      m.put("sku", sku);
      m.put("count", count);
      m.put("capacity", capacity);
      m.put("level", level);
      if (!misplaced.isEmpty()) {
        m.put("misplaced", misplaced);
      }
      m.put("at", java.time.Instant.ofEpochMilli(atMillis).toString());
      return Json.write(m);
    }
  }

  private final LaneInventory inventory;
  private final Map<String, StoreConfig.Lane> lanes = new HashMap<>();
  private final Map<String, Level> levels = new HashMap<>();
  private final double lowFraction;

  public StockMonitor(StoreConfig config, LaneInventory inventory, double lowFraction) {
    this.inventory = inventory;
    this.lowFraction = lowFraction;
    for (StoreConfig.Lane l : config.lanes()) {
      lanes.put(l.id(), l);
      levels.put(l.id(), levelOf(l, inventory.count(l.id(), l.sku())));
    }
  }

  /** The lane's stock now; call after every committed change of the lane. */
  public StockUpdate update(String laneId, long atMillis) {
    StoreConfig.Lane l = lanes.get(laneId);
    int count = inventory.count(laneId, l.sku());
    Level now = levelOf(l, count);
    Level before = levels.put(laneId, now);
    Map<String, Integer> misplaced = new LinkedHashMap<>(inventory.contents(laneId));
    misplaced.remove(l.sku());
    misplaced.values().removeIf(n -> n <= 0);
    return new StockUpdate(laneId, l.sku(), count, l.capacity(), now, before, misplaced, atMillis);
  }

  public Level level(String laneId) {
    return levels.get(laneId);
  }

  private Level levelOf(StoreConfig.Lane l, int count) {
    if (count <= 0) {
      return Level.OUT;
    }
    return count <= Math.max(1, Math.floor(l.capacity() * lowFraction)) ? Level.LOW : Level.OK;
  }
}
