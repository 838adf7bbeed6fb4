package org.storeedge.simulator;

import java.util.List;

/**
 * One shopper of a scenario: checks in with {@code token} at {@code enterAt}, does its actions,
 * leaves at {@code exitAt} (seconds of virtual time from scenario start).
 *
 * <p>A group ({@code group} &gt; 1) is that many people checking in with the one token: member k
 * (1-based) passes the gate at {@code enterAt + (k-1) * 1.5 s} and leaves at
 * {@code exitAt + (k-1) * 1.5 s}; each action names its {@link ScenarioAction#member()}. Several
 * scripts with the same token whose visits overlap are also one group. All members of a group
 * share one cart, which closes when the last member has left. A script with a token whose earlier
 * visit has ended (everyone with it left) is that token's next visit: the shopper came back in,
 * with a new cart and its own receipt.
 *
 * <p>{@code pace} is how fast its people walk from place to place, m/s ({@link #DEFAULT_PACE}
 * unless the scenario says otherwise): a hurried shopper walks faster, and does its
 * {@link ScenarioAction#passing} actions at half that pace along the shelf.
 */
public record ShopperScript(String token, double enterAt, double exitAt, List<ScenarioAction> actions, int group,
    Origin origin, double pace) {
  /** Seconds between group members passing the gate. */
  public static final double GROUP_GATE_SPACING_SECONDS = 1.5;
  public static final int MAX_GROUP = 10;
  /** An unhurried walk through a store, m/s. */
  public static final double DEFAULT_PACE = StoreGeometry.WALKING_SPEED_M_PER_S;
  /** Slowest and fastest pace a shopper may be given, m/s: an amble to a brisk walk. */
  public static final double MIN_PACE = 0.3;
  public static final double MAX_PACE = 2.0;

  public ShopperScript {
    actions = List.copyOf(actions);
    if (!(pace >= MIN_PACE && pace <= MAX_PACE)) {
      throw new IllegalArgumentException("pace must be in " + MIN_PACE + ".." + MAX_PACE + " m/s (got: " + pace + ")");
    }
  }

  public ShopperScript(String token, double enterAt, double exitAt, List<ScenarioAction> actions, int group,
      Origin origin) {
    this(token, enterAt, exitAt, actions, group, origin, DEFAULT_PACE);
  }

  public ShopperScript(String token, double enterAt, double exitAt, List<ScenarioAction> actions, Origin origin) {
    this(token, enterAt, exitAt, actions, 1, origin);
  }

  public static ShopperScript of(String token, double enterAt, double exitAt, ScenarioAction... actions) {
    return new ShopperScript(token, enterAt, exitAt, List.of(actions), Origin.of("shopper " + token));
  }

  public ShopperScript withGroup(int members) {
    return new ShopperScript(token, enterAt, exitAt, actions, members, origin, pace);
  }

  /** The same shopper walking at {@code metresPerSecond}. */
  public ShopperScript withPace(double metresPerSecond) {
    return new ShopperScript(token, enterAt, exitAt, actions, group, origin, metresPerSecond);
  }

  /** Member k's (1-based) visit. */
  double enterOf(int member) {
    return enterAt + (member - 1) * GROUP_GATE_SPACING_SECONDS;
  }

  double exitOf(int member) {
    return exitAt + (member - 1) * GROUP_GATE_SPACING_SECONDS;
  }
}
