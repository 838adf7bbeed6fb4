package org.storeedge.runtime.sim;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.storeedge.config.StoreConfig.Position;
import org.storeedge.core.event.ShopperObservation;
import org.storeedge.core.json.Json;
import org.storeedge.simulator.GroundTruth;
import org.storeedge.simulator.SimulatedStore;

/**
 * How often the vision path puts the right customer token on a shopper, checked against the
 * simulator's plan (a scoring aid; the agent never sees it). An observation with a token is right
 * when a member of that token's party truly stood within {@value #RIGHT_METRES} m of the observed
 * place. Wrong ones are sorted by how the token got there and when it went wrong:
 * <ul>
 *   <li>{@code gateBinding}: the track got the token at the gate and was wrong from its first
 *       observation (another person was bound at check-in);
 *   <li>{@code handOver}: the track took the token over from another track and was wrong from the
 *       start (the hand-over picked the wrong person);
 *   <li>{@code swap}: the track had been right and later is not (the tracker carried the id from
 *       one person to another).
 * </ul>
 */
final class IdentityAudit {
  static final double RIGHT_METRES = 0.75;

  private final SimulatedStore store;
  private final Map<String, String> tokenOfTruthTrack = new HashMap<>();
  private final Map<String, Boolean> everRight = new HashMap<>();
  private final Map<String, String> origin = new HashMap<>();
  private final java.util.List<Double> nearestErrors = new java.util.ArrayList<>();
  private long withToken;
  private long handOversRight;
  private long handOversWrong;
  private long right;
  private long wrongGate;
  private long wrongHandOver;
  private long wrongSwap;
  private long noneNearby;
  private long withoutToken;
  private long withoutTokenButShopperThere;
  private long sureRight;
  private long sureWrong;

  IdentityAudit(SimulatedStore store) {
    this.store = store;
    for (GroundTruth.Shopper s : store.groundTruth().shoppers()) {
      for (GroundTruth.Member m : s.members()) {
        tokenOfTruthTrack.put(m.trackId(), s.token());
      }
    }
  }

  /** {@code raw} as the pipeline gave it, {@code carried} after the token carrier. */
  void check(ShopperObservation raw, ShopperObservation carried) {
    Map<String, Position> truth = store.shopperPositionsAt(Instant.ofEpochMilli(carried.atMillis()));
    String nearestToken = null;
    double nearest = Double.MAX_VALUE;
    double nearestOfOwn = Double.MAX_VALUE;
    for (Map.Entry<String, Position> e : truth.entrySet()) {
      double d = Math.hypot(e.getValue().x() - carried.x(), e.getValue().y() - carried.y());
      String token = tokenOfTruthTrack.get(e.getKey());
      if (d < nearest) {
        nearest = d;
        nearestToken = token;
      }
      if (token != null && token.equals(carried.customerToken())) {
        nearestOfOwn = Math.min(nearestOfOwn, d);
      }
    }
    String track = carried.trackId();
    nearestErrors.add(nearest);
    if (carried.customerToken() == null) {
      withoutToken++;
      if (nearestToken != null && nearest <= RIGHT_METRES) {
        withoutTokenButShopperThere++;
      }
      return;
    }
    withToken++;
    if (origin.putIfAbsent(track, raw.customerToken() != null ? "gate" : "handOver") == null
        && raw.customerToken() == null) {
      if (nearestOfOwn <= RIGHT_METRES) {
        handOversRight++;
      } else if (nearest <= RIGHT_METRES) {
        handOversWrong++;
      }
    }
    boolean sure = carried.identityConfidence() >= 1;
    if (nearestOfOwn <= RIGHT_METRES) {
      if (sure) {
        sureRight++;
      }
      right++;
      everRight.put(track, true);
      return;
    }
    if (sure) {
      sureWrong++;
    }
    if (nearest > RIGHT_METRES) {
      noneNearby++; // a ghost or a badly projected box: nobody there
    } else if (everRight.getOrDefault(track, false)) {
      wrongSwap++;
    } else if (origin.get(track).equals("gate")) {
      wrongGate++;
    } else {
      wrongHandOver++;
    }
  }

  Map<String, Object> stats() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("observationsWithToken", withToken);
    m.put("rightToken", right);
    m.put("rightShare", withToken == 0 ? 0 : Json.round((double) right / withToken, 3));
    m.put("wrongFromGateBinding", wrongGate);
    m.put("wrongFromHandOver", wrongHandOver);
    m.put("wrongAfterSwap", wrongSwap);
    m.put("nobodyThere", noneNearby);
    m.put("handOversRightAtOnce", handOversRight);
    m.put("handOversWrongAtOnce", handOversWrong);
    m.put("tracksWithToken", origin.size());
    // what the checkout charges on without doubt: observations of identity confidence 1
    m.put("sureRight", sureRight);
    m.put("sureWrong", sureWrong);
    java.util.List<Double> e = new java.util.ArrayList<>(nearestErrors);
    e.sort(null);
    if (!e.isEmpty()) {
      m.put("metresToNearestShopperP50", Json.round(e.get(e.size() / 2), 2));
      m.put("metresToNearestShopperP90", Json.round(e.get(e.size() * 9 / 10), 2));
    }
    m.put("observationsWithoutToken", withoutToken);
    m.put("withoutTokenButShopperThere", withoutTokenButShopperThere);
    return m;
  }
}
