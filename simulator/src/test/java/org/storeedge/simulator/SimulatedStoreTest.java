package org.storeedge.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.WeightReading;
import org.storeedge.core.event.GateEvent;
import org.storeedge.core.event.ShopperObservation;
import org.storeedge.core.time.VirtualScheduler;

class SimulatedStoreTest {
  private final StoreConfig config = TestStores.demo();

  /** Everything one run emits, in emission order. */
  record Run(GroundTruth truth, List<WeightReading> readings, List<GateEvent> gates, List<ShopperObservation> presence, Instant end) {}

  static Run play(StoreConfig config, Scenario scenario) throws Exception {
    VirtualScheduler vs = new VirtualScheduler(scenario.start().orElse(Instant.parse("2026-11-25T09:00:00Z")));
    SimulatedStore store = new SimulatedStore(config, scenario, vs);
    List<WeightReading> readings = new ArrayList<>();
    for (StoreConfig.Shelf shelf : config.shelves()) {
      store.driverFactory().create(config.device(shelf.device()).orElseThrow(), shelf.lanes(), vs, readings::add).start();
    }
    List<GateEvent> gates = new ArrayList<>();
    List<ShopperObservation> presence = new ArrayList<>();
    store.start(gates::add, presence::add);
    vs.runUntil(store.endTime());
    return new Run(store.groundTruth(), readings, gates, presence, store.endTime());
  }

  /** The example store's plan for scenario {@code yaml}: its ground truth and where everyone stands when. */
  private SimulatedStore planned(String name, String yaml) throws Exception {
    Scenario sc = ScenarioLoader.parse(name, yaml, config);
    return new SimulatedStore(config, sc, new VirtualScheduler(sc.start().orElseThrow()));
  }

  @Test
  void singleShopperScenarioHasTheScriptedCarts() throws Exception {
    Scenario s = ScenarioLoader.loadResource("single-shopper", config);
    SimulatedStore store = new SimulatedStore(config, s, new VirtualScheduler(Instant.parse("2026-11-25T09:00:00Z")));
    GroundTruth t = store.groundTruth();
    assertThat(t.carts()).containsExactly(
        Map.entry("cust-001", sorted(Map.of("COLA-330", 1, "CANDY-52", 1, "MINTS-40", 1))),
        Map.entry("cust-002", sorted(Map.of("SANDW-HAM", 1, "OJ-1000", 1, "GRNLA-40", 2))),
        Map.entry("cust-003", sorted(Map.of("YOGH-500", 2, "SHAMP-250", 1))),
        Map.entry("cust-004", sorted(Map.of("APPLE-1", 2, "CHOC-100", 1, "ENRG-250", 1))),
        Map.entry("cust-005", sorted(Map.of())));
    assertThat(store.startTime()).isEqualTo(Instant.parse("2026-11-25T09:00:00Z"));
    assertThat(store.endTime()).isEqualTo(Instant.parse("2026-11-25T09:03:53Z")); // exit at 228 s + 5 s
    GroundTruth.Shopper c3 = t.shopper("cust-003").orElseThrow();
    assertThat(c3.trackId()).isEqualTo("trk-3");
    assertThat(c3.enteredAt()).isEqualTo(Instant.parse("2026-11-25T09:01:50Z"));
    GroundTruth.Action misplaced = c3.actions().get(2);
    assertThat(misplaced.laneId()).isEqualTo("b2");
    assertThat(misplaced.sku()).isEqualTo("COLA-330");
    assertThat(misplaced.signedQty()).isEqualTo(1);
    // the cola going back is the very can taken earlier
    assertThat(misplaced.unitGrams()).isEqualTo(c3.actions().get(0).unitGrams());
    for (GroundTruth.Action a : t.actions()) {
      assertThat(Duration.between(a.handOn(), a.itemMove()).toMillis()).isBetween(600L, 1800L);
      assertThat(Duration.between(a.itemMove(), a.handOff()).toMillis()).isBetween(300L, 1000L);
      assertThat(a.unitGrams()).hasSize(Math.abs(a.signedQty()));
    }
  }

  private static java.util.SortedMap<String, Integer> sorted(Map<String, Integer> m) {
    return new java.util.TreeMap<>(m);
  }

  @Test
  void gatesAndPresenceFollowTheShoppers() throws Exception {
    Run run = play(config, ScenarioLoader.loadResource("single-shopper", config));
    assertThat(run.gates()).hasSize(10);
    GateEvent in = run.gates().get(0);
    GateEvent out = run.gates().get(1);
    assertThat(in).isEqualTo(new GateEvent("entrance", GateEvent.Direction.ENTER, "cust-001", Instant.parse("2026-11-25T09:00:05Z").toEpochMilli()));
    assertThat(out).isEqualTo(new GateEvent("exit", GateEvent.Direction.EXIT, "cust-001", Instant.parse("2026-11-25T09:00:45Z").toEpochMilli()));
    List<ShopperObservation> c1 = run.presence().stream().filter(o -> o.customerToken().equals("cust-001")).toList();
    // 5 Hz from 5 s to 45 s inclusive
    assertThat(c1).hasSize(201).allSatisfy(o -> assertThat(o.trackId()).isEqualTo("trk-1"));
    assertThat(c1.get(0).atMillis()).isEqualTo(in.atMillis());
    assertThat(Math.hypot(c1.get(0).x() - 0.0, c1.get(0).y() - 4.0)).isLessThan(0.4);
    assertThat(Math.hypot(c1.get(200).x() - 9.5, c1.get(200).y() - 4.0)).isLessThan(0.4);
    // during each interaction the shopper stands in front of that lane: nearer to it than to any other lane
    for (GroundTruth.Action a : run.truth().actions()) {
      List<ShopperObservation> during = run.presence().stream().filter(o -> o.customerToken().equals(a.token())
          && o.atMillis() >= a.handOn().toEpochMilli() && o.atMillis() <= a.handOff().toEpochMilli()).toList();
      assertThat(during).isNotEmpty();
      StoreConfig.Position lane = config.lane(a.laneId()).orElseThrow().position();
      for (ShopperObservation o : during) {
        StoreConfig.Position p = new StoreConfig.Position(o.x(), o.y());
        assertThat(p.distanceTo(lane)).isBetween(0.1, 0.9);
        String nearest = config.lanes().stream().min(java.util.Comparator.comparingDouble(l -> l.position().distanceTo(p))).orElseThrow().id();
        assertThat(nearest).as("nearest lane at %s for %s", o.atMillis(), a).isEqualTo(a.laneId());
      }
    }
    // nobody is observed outside the visit
    for (GroundTruth.Shopper s : run.truth().shoppers()) {
      assertThat(run.presence()).filteredOn(o -> o.customerToken().equals(s.token()))
          .allSatisfy(o -> assertThat(o.atMillis()).isBetween(s.enteredAt().toEpochMilli(), s.exitedAt().toEpochMilli()));
    }
  }

  @Test
  void shoppersWalkAtWalkingPaceAndStandAtTheShelfUntilTheyTake() throws Exception {
    // 25 s between check-in and a take about 9 m away: walk there (about 9 s), then stand and look
    Scenario sc = ScenarioLoader.parse("walk.yaml", """
        seed: 5
        start: 2026-11-25T09:00:00Z
        shoppers:
          - { token: w, enterAt: 0, exitAt: 60, actions: [ { at: 25, take: d4 } ] }
        """, config);
    Run run = play(config, sc);
    List<ShopperObservation> w = run.presence().stream().filter(o -> o.customerToken().equals("w")).toList();
    long t0 = run.gates().get(0).atMillis();
    StoreConfig.Position lane = config.lane("d4").orElseThrow().position();
    // from 12 s on, well before the hand goes in at 25 s, it stands in front of the lane
    assertThat(w).filteredOn(o -> o.atMillis() >= t0 + 12_000 && o.atMillis() <= t0 + 25_000).isNotEmpty()
        .allSatisfy(o -> assertThat(Math.hypot(o.x() - lane.x(), o.y() - lane.y())).isLessThan(0.9));
    // on the way there it moves at about walking pace (0.6-1.4 m/s over each second, noise included)
    for (long t = t0 + 1000; t <= t0 + 7000; t += 1000) {
      long at = t;
      ShopperObservation a = w.stream().filter(o -> o.atMillis() == at).findFirst().orElseThrow();
      ShopperObservation b = w.stream().filter(o -> o.atMillis() == at + 1000).findFirst().orElseThrow();
      assertThat(Math.hypot(b.x() - a.x(), b.y() - a.y())).as("metres walked in the second after %s", at - t0)
          .isBetween(0.6, 1.4);
    }
  }

  @Test
  void stableLaneReadingsTrackTheGroundTruth() throws Exception {
    Run run = play(config, ScenarioLoader.loadResource("single-shopper", config));
    for (GroundTruth.Action a : run.truth().actions()) {
      long on = a.handOn().toEpochMilli();
      long off = a.handOff().toEpochMilli();
      double delta = SimulatedLaneTest.mean(run.readings(), a.laneId(), off + 300, off + 1300)
          - SimulatedLaneTest.mean(run.readings(), a.laneId(), on - 1000, on);
      // off-centre placement: up to 1% of each unit
      assertThat(delta).as("%s", a).isCloseTo(Math.signum(a.signedQty()) * a.grams(), org.assertj.core.api.Assertions.within(1 + 0.01 * a.grams()));
    }
  }

  @Test
  void sameSeedSameRunOtherSeedOtherRun() throws Exception {
    Scenario s = ScenarioLoader.loadResource("single-shopper", config);
    Run a = play(config, s);
    Run b = play(config, s);
    assertThat(a.readings()).hasSizeGreaterThan(200_000);
    assertThat(b.readings()).isEqualTo(a.readings());
    assertThat(b.truth()).isEqualTo(a.truth());
    assertThat(b.gates()).isEqualTo(a.gates());
    assertThat(b.presence()).isEqualTo(a.presence());
    Run c = play(config, s.withSeed(43));
    assertThat(c.truth().carts()).isEqualTo(a.truth().carts());
    assertThat(c.readings()).isNotEqualTo(a.readings());
  }

  @Test
  void generatedTrafficIsDeterministicToo() throws Exception {
    Scenario s = Scenario.generated(99, 120, 300).withNoise(NoiseModel.DEFAULT.withTouchProbability(0.2));
    StoreConfig slow = TestStores.demo(10, 1.0);
    Run a = play(slow, s);
    Run b = play(slow, s);
    assertThat(a.truth().shoppers()).isNotEmpty();
    assertThat(b.truth()).isEqualTo(a.truth());
    assertThat(b.readings()).isEqualTo(a.readings());
    assertThat(b.presence()).isEqualTo(a.presence());
    assertThat(play(slow, s.withSeed(100)).truth()).isNotEqualTo(a.truth());
  }

  @Test
  void aScenarioThatDoesNotFitTheStoreIsRefused() {
    Scenario s = Scenario.scripted(1, List.of(ShopperScript.of("x", 0, 20, ScenarioAction.take(5, "a4", 7))));
    VirtualScheduler vs = new VirtualScheduler(Instant.parse("2026-11-25T09:00:00Z"));
    assertThatThrownBy(() -> new SimulatedStore(config, s, vs)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("take of 7 x OJ-1000 from lane a4 at 5 s exceeds the lane's stock (has: 6)");
  }

  @Test
  void startingAfterTheScenarioStartIsRefused() {
    Scenario s = Scenario.scripted(1, List.of(ShopperScript.of("x", 0, 20))).withStart(Instant.parse("2026-11-25T09:00:00Z"));
    VirtualScheduler vs = new VirtualScheduler(Instant.parse("2026-11-25T10:00:00Z"));
    SimulatedStore store = new SimulatedStore(config, s, vs);
    assertThatThrownBy(() -> store.start(e -> { }, o -> { })).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aStoreWithoutStartUsesTheSchedulersTimeAndMayStartEarly() throws Exception {
    VirtualScheduler vs = new VirtualScheduler(Instant.parse("2026-11-25T08:00:00Z"));
    Scenario s = Scenario.scripted(1, List.of(ShopperScript.of("x", 2, 20)));
    SimulatedStore store = new SimulatedStore(config, s, vs);
    assertThat(store.startTime()).isEqualTo(Instant.parse("2026-11-25T08:00:00Z"));
    assertThat(store.endTime()).isEqualTo(Instant.parse("2026-11-25T08:00:25Z"));
    List<GateEvent> gates = new ArrayList<>();
    store.start(gates::add, o -> { });
    assertThatThrownBy(() -> store.start(gates::add, o -> { })).isInstanceOf(IllegalStateException.class);
    vs.runUntil(store.endTime());
    assertThat(gates).extracting(GateEvent::direction).containsExactly(GateEvent.Direction.ENTER, GateEvent.Direction.EXIT);
  }

  @Test
  void aShopperHoldingAnItemForMinutesBrowsesAtItsOwnLaneNotOnTheNeighboursSpot() throws Exception {
    // r takes from b2 and puts it back three minutes later; meanwhile s takes from the next lane
    // b3 and t from b2 itself
    SimulatedStore store = planned("long-browse.yaml", """
        seed: 11
        start: 2026-11-25T09:00:00Z
        shoppers:
          - { token: r, enterAt: 2, exitAt: 220, actions: [ { at: 15, take: b2 }, { at: 195, putBack: b2 } ] }
          - { token: s, enterAt: 40, exitAt: 120, actions: [ { at: 60, take: b3 } ] }
          - { token: t, enterAt: 100, exitAt: 200, actions: [ { at: 140, take: b2 } ] }
        """);
    GroundTruth truth = store.groundTruth();
    StoreGeometry geo = new StoreGeometry(config);
    String r = truth.shopper("r").orElseThrow().trackId();
    List<GroundTruth.Action> rs = truth.shopper("r").orElseThrow().actions();
    assertThat(rs).extracting(GroundTruth.Action::laneId).containsExactly("b2", "b2");
    // both times it reaches in from b2's own spot
    for (GroundTruth.Action a : rs) {
      assertThat(store.shopperPositionsAt(a.itemMove()).get(r).distanceTo(geo.standingPoint("b2"))).as("%s", a)
          .isLessThan(0.05);
    }
    // in between it stays nearest to b2 and never stands where another lane is reached from
    for (Instant t = rs.get(0).handOff(); t.isBefore(rs.get(1).handOn()); t = t.plusMillis(200)) {
      StoreConfig.Position at = store.shopperPositionsAt(t).get(r);
      String nearest = config.lanes().stream().min(java.util.Comparator.comparingDouble(l -> l.position().distanceTo(at)))
          .orElseThrow().id();
      assertThat(nearest).as("nearest lane at %s", t).isEqualTo("b2");
      for (StoreConfig.Lane other : config.lanes()) {
        if (!other.id().equals("b2")) {
          assertThat(at.distanceTo(geo.standingPoint(other.id()))).as("%s from %s's spot at %s", at, other.id(), t)
              .isGreaterThan(0.45);
        }
      }
    }
    // whoever else takes meanwhile is nearer its lane than the browser
    for (String other : List.of("s", "t")) {
      GroundTruth.Action a = truth.shopper(other).orElseThrow().actions().get(0);
      StoreConfig.Position lane = config.lane(a.laneId()).orElseThrow().position();
      Map<String, StoreConfig.Position> at = store.shopperPositionsAt(a.itemMove());
      assertThat(at.get(a.trackId()).distanceTo(lane)).as(other).isLessThan(at.get(r).distanceTo(lane) - 0.3);
    }
  }

  @Test
  void aShopperInAHurryTakesInPassingWalkingAlongTheShelfWithinReachAndNeverStops() throws Exception {
    // q walks at 1.4 m/s and takes from b2 without stopping; w takes from b2 standing, later
    SimulatedStore store = planned("passing.yaml", """
        seed: 13
        start: 2026-11-25T09:00:00Z
        shoppers:
          - { token: q, enterAt: 2, exitAt: 40, pace: 1.4, actions: [ { at: 15, take: b2, passing: true } ] }
          - { token: w, enterAt: 30, exitAt: 80, actions: [ { at: 50, take: b2 } ] }
        """);
    GroundTruth truth = store.groundTruth();
    StoreConfig.Position lane = config.lane("b2").orElseThrow().position();
    GroundTruth.Action q = truth.shopper("q").orElseThrow().actions().get(0);
    GroundTruth.Action w = truth.shopper("w").orElseThrow().actions().get(0);
    double seconds = Duration.between(q.handOn(), q.handOff()).toMillis() / 1000.0;
    StoreConfig.Position on = store.shopperPositionsAt(q.handOn()).get(q.trackId());
    StoreConfig.Position off = store.shopperPositionsAt(q.handOff()).get(q.trackId());
    // along the shelf at half its pace (less only where the arm would not reach), its hand in the lane throughout
    assertThat(on.distanceTo(off) / seconds).as("pace with its hand in the shelf").isBetween(0.3, 0.7 + 1e-3);
    for (Instant t = q.handOn(); !t.isAfter(q.handOff()); t = t.plusMillis(100)) {
      assertThat(store.shopperPositionsAt(t).get(q.trackId()).distanceTo(lane)).as("from the lane at %s", t)
          .isLessThanOrEqualTo(StoreGeometry.MAX_REACH_METRES);
    }
    // it walks up at its pace and on to the exit: not a moment of standing from a second before
    // its hand goes in until it is at the exit
    StoreConfig.Position exit = config.gates().get(config.gates().size() - 1).position();
    for (Instant t = q.handOn().minusSeconds(1); ; t = t.plusMillis(250)) {
      StoreConfig.Position a = store.shopperPositionsAt(t).get(q.trackId());
      if (a.distanceTo(exit) < 0.01) {
        break;
      }
      StoreConfig.Position b = store.shopperPositionsAt(t.plusMillis(250)).get(q.trackId());
      assertThat(a.distanceTo(b) / 0.25).as("pace at %s", t).isGreaterThan(0.3);
    }
    // the one who stops stands still on the lane's spot while its hand is in
    StoreConfig.Position w1 = store.shopperPositionsAt(w.handOn()).get(w.trackId());
    StoreConfig.Position w2 = store.shopperPositionsAt(w.handOff()).get(w.trackId());
    assertThat(w1.distanceTo(w2)).isLessThan(1e-9);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"b1", "b3"})
  void aShopperReachingPastANeighbourStepsAsideOnlyWithinReachOfTheLaneItTakesFrom(String lane) throws Exception {
    // u takes from b2 standing on its spot; v, reaching into the next lane from b2's spot at the
    // same moment, finds it taken and steps aside: towards the lane it reaches, never so far away
    // that its arm could not get there
    SimulatedStore store = planned("reach-past.yaml", """
        seed: 12
        start: 2026-11-25T09:00:00Z
        shoppers:
          - { token: u, enterAt: 2, exitAt: 60, actions: [ { at: 20, take: b2 } ] }
          - { token: v, enterAt: 3, exitAt: 60, actions: [ { at: 20.3, take: %s, from: b2 } ] }
        """.formatted(lane));
    GroundTruth.Action a = store.groundTruth().shopper("v").orElseThrow().actions().get(0);
    assertThat(a.laneId()).isEqualTo(lane);
    Map<String, StoreConfig.Position> at = store.shopperPositionsAt(a.itemMove());
    String u = store.groundTruth().shopper("u").orElseThrow().trackId();
    assertThat(at.get(a.trackId()).distanceTo(config.lane(lane).orElseThrow().position())).isLessThanOrEqualTo(1.0);
    assertThat(at.get(a.trackId()).distanceTo(at.get(u))).as("clear of u").isGreaterThan(0.3);
  }
}
