package org.storeedge.simulator;

import java.util.Optional;

/**
 * One scripted action of a shopper.
 *
 * @param at seconds of virtual time from scenario start when the hand reaches the lane; the
 *     item moves 0.6-1.8 s later and the hand leaves 0.3-1.0 s after that
 * @param laneId the lane taken from or returned to
 * @param qty units, &gt;= 1
 * @param sku the product moved; empty means the lane's planned sku. Needed when returning an
 *     item to a lane that does not plan it.
 */
public record ScenarioAction(double at, Kind kind, String laneId, int qty, Optional<String> sku, Origin origin) {
  public enum Kind {
    TAKE,
    PUT_BACK
  }

  public static ScenarioAction take(double at, String laneId, int qty) {
    return new ScenarioAction(at, Kind.TAKE, laneId, qty, Optional.empty(), Origin.of("action"));
  }

  public static ScenarioAction putBack(double at, String laneId, int qty) {
    return new ScenarioAction(at, Kind.PUT_BACK, laneId, qty, Optional.empty(), Origin.of("action"));
  }

  public static ScenarioAction putBack(double at, String laneId, int qty, String sku) {
    return new ScenarioAction(at, Kind.PUT_BACK, laneId, qty, Optional.of(sku), Origin.of("action"));
  }
}
