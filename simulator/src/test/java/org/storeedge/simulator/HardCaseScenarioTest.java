package org.storeedge.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.storeedge.config.ConfigException;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.time.VirtualScheduler;

/** The scenario keys for the hard cases: how they read, and every mistake reported where it is. */
class HardCaseScenarioTest {
  private static final Instant T0 = Instant.parse("2026-11-25T09:00:00Z");
  private final StoreConfig store = TestStores.demo();

  private List<String> problems(String yaml) {
    try {
      ScenarioLoader.parse("s.yaml", yaml, store);
    } catch (ConfigException e) {
      return e.problems().stream().map(x -> x.location() + ": " + (x.keyPath().isEmpty() ? "" : x.keyPath() + ": ") + x.message()).toList();
    }
    throw new AssertionError("expected problems for:\n" + yaml);
  }

  @Test
  void readsReachGrabLeanGiveAndGroups() throws Exception {
    Scenario s = ScenarioLoader.parse("s.yaml", """
        seed: 1
        shoppers:
          - token: fam
            group: 2
            enterAt: 0
            exitAt: 80
            actions:
              - { at: 10, take: b3, qty: 1, from: b2 }
              - { at: 12, take: [b1, b2], qty: [1, 2], member: 2 }
              - { at: 20, grab: [ { lane: d2 }, { lane: d3, qty: 2 } ] }
              - { at: 30, lean: c1, seconds: 6.5, grams: 120 }
              - { at: 40, give: CRISP-150, to: other }
          - token: other
            enterAt: 5
            exitAt: 90
            actions:
              - { at: 15, lean: a1 }
        generated:
          shoppersPerHour: 200
          durationSeconds: 600
          overlap: true
          maxInside: 6
          browseSeconds: 20
          popularity: 1.2
          hardCases: { reach: 0.1, handOff: 0.2, lean: 0.3, wrongLaneReturn: 0.4, multiGrab: 0.5, group: 0.6 }
        """, store);
    ShopperScript fam = s.shoppers().get(0);
    assertThat(fam.group()).isEqualTo(2);
    List<ScenarioAction> a = fam.actions();
    assertThat(a.get(0).kind()).isEqualTo(ScenarioAction.Kind.TAKE);
    assertThat(a.get(0).from()).contains("b2");
    assertThat(a.get(1).parts()).containsExactly(new ScenarioAction.Part("b1", 1, Optional.empty()),
        new ScenarioAction.Part("b2", 2, Optional.empty()));
    assertThat(a.get(1).member()).isEqualTo(2);
    assertThat(a.get(2).parts()).containsExactly(new ScenarioAction.Part("d2", 1, Optional.empty()),
        new ScenarioAction.Part("d3", 2, Optional.empty()));
    assertThat(a.get(3)).extracting(ScenarioAction::kind, ScenarioAction::laneId, ScenarioAction::seconds, ScenarioAction::grams)
        .containsExactly(ScenarioAction.Kind.LEAN, "c1", 6.5, 120.0);
    assertThat(a.get(4)).extracting(ScenarioAction::kind, ScenarioAction::sku, ScenarioAction::qty, ScenarioAction::to)
        .containsExactly(ScenarioAction.Kind.GIVE, Optional.of("CRISP-150"), 1, Optional.of("other"));
    assertThat(s.shoppers().get(1).actions().get(0)).extracting(ScenarioAction::seconds, ScenarioAction::grams)
        .containsExactly(ScenarioAction.DEFAULT_LEAN_SECONDS, ScenarioAction.DEFAULT_LEAN_GRAMS);
    assertThat(s.generated()).contains(new GeneratedTraffic(200, 600, 2.5, 0.1, true, 6,
        new GeneratedTraffic.HardCases(0.1, 0.2, 0.3, 0.4, 0.5, 0.6), 20).withPopularity(1.2));
  }

  @Test
  void keyProblemsOfTheNewActionsAreLocated() {
    List<String> p = problems("""
        seed: 1
        shoppers:
          - token: a
            group: 0
            enterAt: 0
            exitAt: 60
          - token: b
            enterAt: 0
            exitAt: 60
            actions:
              - { at: 10, lean: a1, qty: 2, seconds: soon }
              - { at: 20, grab: [ { lane: b1, colour: red } ], sku: CHOC-100 }
              - { at: 30, take: [b1, b2], qty: [1, 2, 3] }
              - { at: 40, give: COLA-330 }
              - { at: 50, take: a1, member: 0 }
        generated: { shoppersPerHour: 5, durationSeconds: 60, maxInside: 0, hardCases: { reach: 2, crowd: 1 } }
        """);
    assertThat(p).containsExactlyInAnyOrder(
        "s.yaml:4:12: shoppers[0].group: must be a number of people in 1..10 (got: 0)",
        "s.yaml:11:34: shoppers[1].actions[0].qty: does not go with 'lean'",
        "s.yaml:11:46: shoppers[1].actions[0].seconds: must be a number (got: 'soon')",
        "s.yaml:12:61: shoppers[1].actions[1].sku: does not go with 'grab' (give each grabbed lane its own 'qty' and 'sku')",
        "s.yaml:12:39: shoppers[1].actions[1].grab[0].colour: unknown key (known: lane, qty, sku)",
        "s.yaml:13:40: shoppers[1].actions[2].qty: needs one quantity per lane (2 lanes, got: 3)",
        "s.yaml:14:9: shoppers[1].actions[3].to: is required",
        "s.yaml:15:37: shoppers[1].actions[4].member: must be a group member number in 1..10 (got: 0)",
        "s.yaml:16:66: generated.maxInside: must be >= 1 (got: 0)",
        "s.yaml:16:89: generated.hardCases.reach: must be a share in 0..1 (got: 2)",
        "s.yaml:16:92: generated.hardCases.crowd: unknown key (known: group, handOff, lean, multiGrab, reach, wrongLaneReturn)");
  }

  @Test
  void physicalProblemsOfTheNewActionsAreLocated() {
    List<String> p = problems("""
        seed: 1
        shoppers:
          - token: a
            enterAt: 0
            exitAt: 100
            actions:
              - { at: 5, take: b4, from: b1 }
              - { at: 10, grab: [ { lane: b1 }, { lane: c1 }, { lane: b1 } ] }
              - { at: 20, take: [a1, a4] }
              - { at: 30, lean: a2, seconds: 0.1, grams: 5000 }
              - { at: 40, give: COLA-330, qty: 2, to: b }
              - { at: 50, give: CHOC-100, to: a }
              - { at: 60, give: CHOC-100, to: nobody }
              - { at: 70, lean: a1, seconds: 40 }
              - { at: 75, take: d1 }
              - { at: 80, take: a2, member: 2 }
          - token: b
            enterAt: 0
            exitAt: 42
            actions:
              - { at: 39, take: c1 }
        """);
    assertThat(p).containsExactlyInAnyOrder(
        "s.yaml:7:28: shoppers[0].actions[0].from: lane 'b4' is 1.87 m from the standing point of lane b1, more than the 1 m a shopper reaches",
        "s.yaml:8:41: shoppers[0].actions[1].grab[1]: lanes of one hand interaction must be on the same shelf (lane 'c1' is on shelf-c, the first on shelf-b)",
        "s.yaml:8:55: shoppers[0].actions[1].grab[2]: lane 'b1' appears twice in one hand interaction; add the quantities",
        "s.yaml:9:26: shoppers[0].actions[2].take[0]: lane 'a1' is 1.03 m from where the shopper stands for this interaction, more than the 1 m a shopper reaches",
        "s.yaml:9:30: shoppers[0].actions[2].take[1]: lane 'a4' is 1.03 m from where the shopper stands for this interaction, more than the 1 m a shopper reaches",
        "s.yaml:10:29: shoppers[0].actions[3].seconds: must be in 0.5..600 (got: 0.1)",
        "s.yaml:10:43: shoppers[0].actions[3].grams: must be in 1..2000 (got: 5000)",
        "s.yaml:12:35: shoppers[0].actions[5].to: a hand-off goes to another shopper; 'a' is this shopper's own token",
        "s.yaml:13:35: shoppers[0].actions[6].to: no shopper with token 'nobody' in this scenario",
        "s.yaml:14:29: shoppers[0].actions[7].seconds: must be within the shopper's visit 0..100 (got: 70..110)",
        "s.yaml:16:29: shoppers[0].actions[9].member: only a group has members; this shopper is one person (got: 2)",
        "s.yaml:15:11: shoppers[0].actions[8].at: overlaps its lean from 70 to 110 (got: 75); during a lean only a take or put-back within reach is possible",
        // b is inside 0..42, so it can receive at 40, but it is still busy with its own take at 39
        "s.yaml:11:11: shoppers[0].actions[4].at: the receiver b is busy then (with its action at 39); a hand-off needs 3 s of both shoppers",
        // none of the takes above happened (each has a problem), so there is nothing to give
        "s.yaml:11:35: shoppers[0].actions[4].qty: shopper a cannot give 2 x COLA-330 to b at 40 s: holds 0",
        // a stood nowhere yet, so they would meet inside the entrance: b cannot get there and out in time
        "s.yaml:11:11: shoppers[0].actions[4].at: shopper b would have to be at lane c1 and at the hand-off inside the"
            + " entrance (4.8 m apart) at the same moment: the earlier one is not over yet; leave at least 1.9 s after it"
            + " ends (2.5 m/s at most)",
        "s.yaml:19:5: shoppers[1].exitAt: shopper b would have to walk 8.1 m from the hand-off inside the entrance to the exit"
            + " in 0.2 s; leave at least 3.2 s (2.5 m/s at most)");
  }

  @Test
  void somethingSetDownIsCheckedLikeALeanWithItsOwnWeightLimit() {
    List<String> p = problems("""
        seed: 1
        shoppers:
          - token: a
            enterAt: 0
            exitAt: 100
            actions:
              - { at: 5, setDown: a9, seconds: 10 }
              - { at: 20, setDown: a2, grams: 9000 }
              - { at: 30, setDown: a3, seconds: 20, grams: 1200 }
              - { at: 35, take: d1 }
              - { at: 40, take: a2 }
        """);
    assertThat(p).containsExactlyInAnyOrder(
        "s.yaml:7:18: shoppers[0].actions[0].setDown: unknown lane 'a9'",
        "s.yaml:8:32: shoppers[0].actions[1].grams: must be in 1..8000 (got: 9000)",
        // a2's basket lies there 20 s by default: setting another down is not a take within reach
        "s.yaml:9:11: shoppers[0].actions[2].at: overlaps what it set down from 20 to 40 (got: 30); while it lies there"
            + " only a take or put-back within reach is possible",
        "s.yaml:10:11: shoppers[0].actions[3].at: overlaps what it set down from 30 to 50 (got: 35); while it lies there"
            + " only a take or put-back within reach is possible",
        "s.yaml:11:11: shoppers[0].actions[4].at: overlaps what it set down from 20 to 40 (got: 40); while it lies there"
            + " only a take or put-back within reach is possible");
    assertThat(problems("""
        seed: 1
        shoppers:
          - { token: a, enterAt: 0, exitAt: 100, actions: [ { at: 5, setDown: a2, qty: 1 } ] }
        """)).containsExactly("s.yaml:3:80: shoppers[0].actions[0].qty: does not go with 'setDown'");
  }

  @Test
  void handOffsNeedTheGoodsAndAFreeReceiver() {
    List<String> p = problems("""
        seed: 1
        shoppers:
          - token: a
            enterAt: 0
            exitAt: 100
            actions:
              - { at: 10, take: a1 }
              - { at: 20, give: COLA-330, qty: 2, to: b }
              - { at: 30, give: CANDY-52, to: b }
          - token: b
            enterAt: 0
            exitAt: 100
            actions:
              - { at: 31, take: c1 }
        """);
    assertThat(p).containsExactlyInAnyOrder(
        "s.yaml:8:35: shoppers[0].actions[1].qty: shopper a cannot give 2 x COLA-330 to b at 20 s: holds 1",
        "s.yaml:14:11: shoppers[1].actions[0].at: overlaps a hand-off it receives from a at 30 (got: 31)",
        "s.yaml:14:11: shoppers[1].actions[0].at: shopper b would have to be at the hand-off at lane a1 and at lane c1"
            + " (4.0 m apart) at the same moment: the earlier one is not over yet; leave at least 1.6 s after it ends"
            + " (2.5 m/s at most)",
        "s.yaml:9:9: shoppers[0].actions[2].qty: shopper a cannot give 1 x CANDY-52 to b at 30 s: holds 0");
    // a receiver that is not in the store
    assertThat(problems("""
        seed: 1
        shoppers:
          - { token: a, enterAt: 0, exitAt: 100, actions: [ { at: 10, take: a1 }, { at: 20, give: COLA-330, to: b } ] }
          - { token: b, enterAt: 0, exitAt: 21 }
        """)).containsExactly(
        "s.yaml:3:101: shoppers[0].actions[1].to: shopper 'b' is not in the store throughout the hand-off 20..21.5");
  }

  @Test
  void nobodyHasToRunBetweenPlaces() {
    assertThat(problems("""
        seed: 1
        shoppers:
          - { token: a, enterAt: 0, exitAt: 30, actions: [ { at: 1, take: d4 }, { at: 5, take: a1 } ] }
          - { token: g, group: 2, enterAt: 0, exitAt: 40, actions: [ { at: 3, take: d1, member: 2 } ] }
          - { token: l, enterAt: 0, exitAt: 11.5, actions: [ { at: 3, lean: a4, seconds: 6 }, { at: 4, take: a3 } ] }
        """)).containsExactlyInAnyOrder(
        "s.yaml:3:54: shoppers[0].actions[0].at: shopper a would have to walk 8.1 m from the entrance to lane d4 in 1 s;"
            + " leave at least 3.2 s (2.5 m/s at most)",
        "s.yaml:3:75: shoppers[0].actions[1].at: shopper a would have to walk 6.7 m from lane d4 to lane a1 in 1.2 s;"
            + " leave at least 2.7 s (2.5 m/s at most)",
        "s.yaml:4:64: shoppers[1].actions[0].at: member 2 of g would have to walk 8.5 m from the entrance to lane d1 in 1.5 s;"
            + " leave at least 3.4 s (2.5 m/s at most)",
        // the take from a3 during the lean is done from where it leans; only the way out is too short
        "s.yaml:5:29: shoppers[2].exitAt: shopper l would have to walk 8.1 m from lane a4 to the exit in 2.5 s;"
            + " leave at least 3.2 s (2.5 m/s at most)");
  }

  @Test
  void whereTheTakerPaysAHandedOverItemStaysOnTheGiversCart() throws Exception {
    Scenario s = ScenarioLoader.parse("s.yaml", """
        seed: 4
        shoppers:
          - token: a
            enterAt: 0
            exitAt: 60
            actions:
              - { at: 10, take: a1, qty: 2 }
              - { at: 20, give: COLA-330, qty: 2, to: b }
          - { token: b, enterAt: 0, exitAt: 60, actions: [ { at: 40, take: b1 } ] }
        """, store);
    GroundTruth t = new SimulatedStore(store, s, new VirtualScheduler(T0)).groundTruth();
    assertThat(t.carts().get("a")).isEmpty();
    assertThat(t.carts().get("b")).containsOnlyKeys("COLA-330", "CHOC-100").containsEntry("COLA-330", 2);
    assertThat(t.takenCarts().get("a")).containsExactly(java.util.Map.entry("COLA-330", 2));
    assertThat(t.takenCarts().get("b")).containsExactly(java.util.Map.entry("CHOC-100", 1));
  }

  @Test
  void aReceivedItemCanBePutBackByTheReceiverAndAGroupSharesHoldings() throws Exception {
    Scenario s = ScenarioLoader.parse("s.yaml", """
        seed: 4
        shoppers:
          - token: a
            enterAt: 0
            exitAt: 60
            actions:
              - { at: 10, take: a1 }
              - { at: 20, give: COLA-330, to: b }
          - token: b
            group: 2
            enterAt: 0
            exitAt: 60
            actions:
              - { at: 30, putBack: a1, member: 2 }
              - { at: 35, take: b1, member: 1 }
              - { at: 40, putBack: b1, member: 2 }
        """, store);
    GroundTruth t = new SimulatedStore(store, s, new VirtualScheduler(T0)).groundTruth();
    assertThat(t.shopper("a").orElseThrow().cart()).isEmpty();
    assertThat(t.shopper("b").orElseThrow().cart()).isEmpty();
    assertThat(t.handOffs()).hasSize(1);
    // where the taker pays, the can put back costs nobody anything either
    assertThat(t.takenCarts()).containsEntry("a", java.util.Collections.emptySortedMap())
        .containsEntry("b", java.util.Collections.emptySortedMap());
    // the put-back returns the very can that was handed over
    assertThat(t.shopper("b").orElseThrow().actions().get(0).unitGrams()).isEqualTo(t.handOffs().get(0).unitGrams());
  }

  @Test
  void hardCaseTrafficIsDeterministicAndPlainTrafficIsUnchangedByTheNewKeys() {
    GeneratedTraffic plain = new GeneratedTraffic(200, 900, 2.5, 0.1, true);
    GeneratedTraffic hard = plain.withMaxInside(6).withBrowseSeconds(15)
        .withHardCases(new GeneratedTraffic.HardCases(0.3, 0.3, 0.3, 0.5, 0.3, 0.2));
    GroundTruth h1 = new SimulatedStore(store, Scenario.generated(9, hard), new VirtualScheduler(T0)).groundTruth();
    GroundTruth h2 = new SimulatedStore(store, Scenario.generated(9, hard), new VirtualScheduler(T0)).groundTruth();
    assertThat(h1).isEqualTo(h2);
    // explicit defaults give the same traffic as the short constructor
    GeneratedTraffic explicit = new GeneratedTraffic(200, 900, 2.5, 0.1, true, GeneratedTraffic.UNLIMITED,
        GeneratedTraffic.HardCases.NONE, 0);
    assertThat(new SimulatedStore(store, Scenario.generated(9, explicit), new VirtualScheduler(T0)).groundTruth())
        .isEqualTo(new SimulatedStore(store, Scenario.generated(9, plain), new VirtualScheduler(T0)).groundTruth());
    assertThat(h1.shoppers()).allSatisfy(sh -> assertThat(sh.members()).hasSizeBetween(1, 3));
  }

  @Test
  void atMostMaxInsideVisitsAreInsideAtOnce() {
    GeneratedTraffic g = new GeneratedTraffic(600, 1200, 2.5, 0.1, true).withMaxInside(3).withBrowseSeconds(20);
    GroundTruth t = new SimulatedStore(TestStores.demo(80, 3.0), Scenario.generated(2, g), new VirtualScheduler(T0)).groundTruth();
    int max = 0;
    for (GroundTruth.Shopper s : t.shoppers()) {
      Instant at = s.enteredAt();
      long inside = t.shoppers().stream().filter(o -> !o.enteredAt().isAfter(at) && o.exitedAt().isAfter(at)).count();
      max = (int) Math.max(max, inside);
    }
    assertThat(max).isEqualTo(3);
  }

  @Test
  void aProgrammaticScenarioUsesTheFactories() {
    Scenario s = Scenario.scripted(3, List.of(
        ShopperScript.of("x", 0, 60, ScenarioAction.reach(10, "b3", 1, "b2"),
            ScenarioAction.grab(20, List.of(new ScenarioAction.Part("d1", 1, Optional.empty()), new ScenarioAction.Part("d2", 1, Optional.empty()))),
            ScenarioAction.lean(30, "c1", 4, 50), ScenarioAction.give(40, "SHAMP-250", 1, "y")),
        ShopperScript.of("y", 0, 70, ScenarioAction.take(20, "a1", 1)).withGroup(2)));
    assertThat(ScenarioChecker.check(s, store)).extracting(ConfigProblem::message).isEmpty();
    GroundTruth t = new SimulatedStore(store, s, new VirtualScheduler(T0)).groundTruth();
    assertThat(t.shopper("x").orElseThrow().cart()).containsOnlyKeys("CRISP-150", "TPST-75");
    assertThat(t.shopper("y").orElseThrow().cart()).containsOnlyKeys("COLA-330", "SHAMP-250");
  }
}
