package org.storeedge.simulator;

import java.util.List;

/**
 * One shopper of a scenario: checks in with {@code token} at {@code enterAt}, does its actions,
 * leaves at {@code exitAt} (seconds of virtual time from scenario start).
 */
public record ShopperScript(String token, double enterAt, double exitAt, List<ScenarioAction> actions, Origin origin) {
  public ShopperScript {
    actions = List.copyOf(actions);
  }

  public static ShopperScript of(String token, double enterAt, double exitAt, ScenarioAction... actions) {
    return new ShopperScript(token, enterAt, exitAt, List.of(actions), Origin.of("shopper " + token));
  }
}
