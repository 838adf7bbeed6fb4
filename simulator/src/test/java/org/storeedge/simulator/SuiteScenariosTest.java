package org.storeedge.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfig.Position;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.core.device.WeightDriver;
import org.storeedge.core.device.WeightReading;
import org.storeedge.core.event.GateEvent;
import org.storeedge.core.event.ShopperObservation;
import org.storeedge.core.time.VirtualScheduler;

/**
 * Every scenario of scenarios/suite loads against the example store, plays to the end with the
 * lanes holding what the ground truth says, and its ground truth is what its header promises.
 */
class SuiteScenariosTest {
  private static final Path SUITE = Path.of("scenarios/suite");
  private static final List<String> EXPECTED = List.of("two-at-one-shelf", "crossing-hands", "hand-off",
      "wrong-lane-return-picked-later", "identical-items-at-once", "mixed-grab", "leaning", "basket-on-the-shelf", "crowd-of-four",
      "leaves-with-nothing", "group-one-token", "restock-while-shopping", "re-entry", "looker-at-the-shelf",
      "taken-in-passing", "generated-busy", "generated-popular", "generated-adversarial", "generated-looking",
      "generated-hurrying");

  private static StoreConfig config;

  @BeforeAll
  static void loadStore() throws Exception {
    config = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(Path.of("../config/examples/demo-store.yaml"));
  }

  /** One played scenario with everything it emitted. */
  private record Played(SimulatedStore store, GroundTruth truth, List<GateEvent> gates, List<ShopperObservation> seen,
      Map<String, List<WeightReading>> readings) {
    Instant at(double seconds) {
      return store.startTime().plusNanos(Seeds.nanos(seconds));
    }

    Position where(String token, Instant t) {
      String track = truth.shopper(token).orElseThrow().trackId();
      return store.shopperPositionsAt(t).get(track);
    }

    SortedMap<String, Integer> cart(String token) {
      return truth.shopper(token).orElseThrow().cart();
    }
  }

  private static Played play(String name) throws Exception {
    Scenario s = ScenarioLoader.load(SUITE.resolve(name + ".yaml"), config);
    VirtualScheduler vs = new VirtualScheduler(s.start().orElseThrow());
    SimulatedStore store = new SimulatedStore(config, s, vs);
    Map<String, List<WeightReading>> readings = new HashMap<>();
    List<WeightDriver> drivers = new ArrayList<>();
    for (StoreConfig.Shelf shelf : config.shelves()) {
      WeightDriver d = store.driverFactory().create(config.device(shelf.device()).orElseThrow(), shelf.lanes(), vs,
          r -> readings.computeIfAbsent(r.laneId(), k -> new ArrayList<>()).add(r));
      d.start();
      drivers.add(d);
    }
    List<GateEvent> gates = new ArrayList<>();
    List<ShopperObservation> seen = new ArrayList<>();
    store.start(gates::add, seen::add);
    vs.runUntil(store.endTime());
    for (WeightDriver d : drivers) {
      d.stop();
    }
    GroundTruth truth = store.groundTruth();
    // the lanes end with exactly the units the ground truth moved
    Map<String, Integer> expected = new HashMap<>();
    config.lanes().forEach(l -> expected.put(l.id(), l.initialStock()));
    truth.actions().forEach(a -> expected.merge(a.laneId(), a.signedQty(), Integer::sum));
    for (StoreConfig.Lane l : config.lanes()) {
      assertThat(store.lane(l.id()).units()).as("%s lane %s", name, l.id()).hasSize(expected.get(l.id()));
    }
    // one ENTER and one EXIT per person, with the visit's token (a token back in: once per visit)
    for (GroundTruth.Shopper sh : truth.shoppers()) {
      long people = truth.shoppers().stream().filter(o -> o.token().equals(sh.token())).mapToLong(o -> o.members().size()).sum();
      for (GateEvent.Direction dir : GateEvent.Direction.values()) {
        assertThat(gates.stream().filter(g -> g.customerToken().equals(sh.token()) && g.direction() == dir).count())
            .as("%s %s %s", name, sh.token(), dir).isEqualTo(people);
      }
      assertThat(sh.cart().values()).allSatisfy(q -> assertThat(q).isPositive());
    }
    Played p = new Played(store, truth, gates, seen, readings);
    assertHandOffsAreCloseAndStandersApart(name, p);
    return p;
  }

  /**
   * Givers and receivers stand together at a hand-off; two people acting at the same time never
   * stand on the same spot.
   */
  private static void assertHandOffsAreCloseAndStandersApart(String name, Played p) {
    for (GroundTruth.HandOff h : p.truth().handOffs()) {
      Instant mid = h.at().plusMillis(750);
      Map<String, Position> at = p.store().shopperPositionsAt(mid);
      assertThat(at.get(h.fromTrackId()).distanceTo(at.get(h.toTrackId()))).as("%s %s", name, h).isBetween(0.45, 1.3);
    }
    List<GroundTruth.Action> acts = p.truth().actions().stream().filter(a -> a.kind() != GroundTruth.Kind.TOUCH).toList();
    for (int i = 0; i < acts.size(); i++) {
      for (int j = i + 1; j < acts.size(); j++) {
        GroundTruth.Action a = acts.get(i);
        GroundTruth.Action b = acts.get(j);
        if (a.trackId().equals(b.trackId()) || !b.handOn().isBefore(a.handOff()) || !a.handOn().isBefore(b.handOff())) {
          continue;
        }
        Instant t = a.handOn().isAfter(b.handOn()) ? a.handOn() : b.handOn();
        Map<String, Position> at = p.store().shopperPositionsAt(t);
        assertThat(at.get(a.trackId()).distanceTo(at.get(b.trackId()))).as("%s: %s and %s", name, a, b)
            .isGreaterThanOrEqualTo(SimulatedStore.MIN_SEPARATION_METRES - 1e-9);
      }
    }
  }

  private static Map<String, Integer> cart(Object... skuQty) {
    Map<String, Integer> m = new TreeMap<>();
    for (int i = 0; i < skuQty.length; i += 2) {
      m.put((String) skuQty[i], (Integer) skuQty[i + 1]);
    }
    return m;
  }

  @Test
  void theSuiteHasEveryCaseAndEachFileStartsWithWhatItTests() throws Exception {
    try (Stream<Path> files = Files.list(SUITE)) {
      List<String> names = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
          .map(f -> f.replace(".yaml", "")).sorted().toList();
      assertThat(names).containsExactlyInAnyOrderElementsOf(EXPECTED);
    }
    for (String n : EXPECTED) {
      assertThat(Files.readString(SUITE.resolve(n + ".yaml"))).as(n).startsWith("# ");
      assertThat(ScenarioLoader.load(SUITE.resolve(n + ".yaml"), config).source()).endsWith(n + ".yaml");
      // packaged too: the same scenario from the classpath
      Scenario packaged = ScenarioLoader.loadResource("suite/" + n, config);
      assertThat(packaged.shoppers()).hasSameSizeAs(ScenarioLoader.load(SUITE.resolve(n + ".yaml"), config).shoppers());
    }
    assertThat(ScenarioLoader.SUITE).containsExactlyInAnyOrderElementsOf(EXPECTED);
  }

  @Test
  void twoAtOneShelfStandSideBySideAndKeepTheirOwnItems() throws Exception {
    Played p = play("two-at-one-shelf");
    assertThat(p.cart("cust-a")).isEqualTo(cart("CANDY-52", 1, "CHOC-100", 1));
    assertThat(p.cart("cust-b")).isEqualTo(cart("CANDY-52", 2, "CRISP-150", 1));
    // both hands are in lane b2 at the same time
    GroundTruth.Action a = p.truth().shopper("cust-a").orElseThrow().actions().get(0);
    GroundTruth.Action b = p.truth().shopper("cust-b").orElseThrow().actions().get(0);
    assertThat(b.handOn()).isBefore(a.handOff());
    Instant t = b.handOn().plusMillis(100);
    double d = p.where("cust-a", t).distanceTo(p.where("cust-b", t));
    assertThat(d).isBetween(0.5, 1.0);
  }

  @Test
  void crossingHandsStandInFrontOfTheOtherLane() throws Exception {
    Played p = play("crossing-hands");
    assertThat(p.cart("cust-left")).isEqualTo(cart("CRISP-150", 1, "CHOC-100", 1));
    assertThat(p.cart("cust-right")).isEqualTo(cart("CANDY-52", 1));
    GroundTruth.Action left = p.truth().shopper("cust-left").orElseThrow().actions().get(0);
    GroundTruth.Action right = p.truth().shopper("cust-right").orElseThrow().actions().get(0);
    assertThat(left.laneId()).isEqualTo("b3");
    assertThat(left.standingLaneId()).isEqualTo("b2");
    assertThat(left.reached()).isTrue();
    assertThat(right.standingLaneId()).isEqualTo("b3");
    // at the moment of each take, the other shopper is nearer the lane that changed
    Position b3 = config.lane("b3").orElseThrow().position();
    Position lp = p.where("cust-left", left.itemMove());
    Position rp = p.where("cust-right", left.itemMove());
    assertThat(rp.distanceTo(b3)).isLessThan(lp.distanceTo(b3));
    assertThat(lp.distanceTo(b3)).isLessThanOrEqualTo(StoreGeometry.MAX_REACH_METRES + 0.01);
  }

  @Test
  void aHandOffMovesTheItemToTheReceiversCart() throws Exception {
    Played p = play("hand-off");
    assertThat(p.cart("cust-giver")).isEqualTo(cart("WATR-500", 1));
    assertThat(p.cart("cust-receiver")).isEqualTo(cart("COLA-330", 1, "NOODL-75", 1));
    assertThat(p.truth().handOffs()).singleElement().satisfies(h -> {
      assertThat(h.fromToken()).isEqualTo("cust-giver");
      assertThat(h.toToken()).isEqualTo("cust-receiver");
      assertThat(h.sku()).isEqualTo("COLA-330");
      assertThat(h.qty()).isEqualTo(1);
      assertThat(h.at()).isEqualTo(p.at(40));
      // the very unit the giver took
      GroundTruth.Action took = p.truth().shopper("cust-giver").orElseThrow().actions().stream()
          .filter(a -> a.sku().equals("COLA-330")).findFirst().orElseThrow();
      assertThat(h.unitGrams()).isEqualTo(took.unitGrams());
    });
    // no shelf changes at the hand-off
    assertThat(p.truth().actions()).noneMatch(a -> !a.handOn().isAfter(p.at(41.5)) && !a.handOff().isBefore(p.at(40)));
  }

  @Test
  void aMisplacedUnitIsTakenAgainByTheNextShopper() throws Exception {
    Played p = play("wrong-lane-return-picked-later");
    assertThat(p.cart("cust-a")).isEqualTo(cart("ENRG-250", 1));
    assertThat(p.cart("cust-b")).isEqualTo(cart("COLA-330", 1));
    assertThat(p.cart("cust-c")).isEqualTo(cart("CANDY-52", 1));
    GroundTruth.Action returned = p.truth().shopper("cust-a").orElseThrow().actions().stream()
        .filter(a -> a.kind() == GroundTruth.Kind.PUT_BACK).findFirst().orElseThrow();
    GroundTruth.Action retaken = p.truth().shopper("cust-b").orElseThrow().actions().get(0);
    assertThat(returned.laneId()).isEqualTo("b2");
    assertThat(retaken.laneId()).isEqualTo("b2");
    assertThat(retaken.sku()).isEqualTo("COLA-330");
    assertThat(retaken.unitGrams()).isEqualTo(returned.unitGrams()); // the same physical can
    assertThat(retaken.grams()).isBetween(340.0, 365.0);
  }

  @Test
  void identicalItemsMoveTogether() throws Exception {
    Played p = play("identical-items-at-once");
    assertThat(p.cart("cust-a")).isEqualTo(cart("CANDY-52", 3, "WATR-500", 1));
    assertThat(p.cart("cust-b")).isEqualTo(cart("GRNLA-40", 2, "MINTS-40", 5));
    assertThat(p.truth().actions()).extracting(GroundTruth.Action::signedQty).contains(-3, -4, 2, -5);
  }

  @Test
  void aMixedGrabChangesSeveralLanesInOneInteraction() throws Exception {
    Played p = play("mixed-grab");
    assertThat(p.cart("cust-a")).isEqualTo(cart("CHOC-100", 1, "CANDY-52", 1));
    assertThat(p.cart("cust-b")).isEqualTo(cart("TPST-75", 1, "MINTS-40", 1, "SHAMP-250", 1));
    List<GroundTruth.Action> grab = p.truth().shopper("cust-a").orElseThrow().actions().stream()
        .filter(a -> a.handOn().isBefore(p.at(18))).toList();
    assertThat(grab).extracting(GroundTruth.Action::laneId).containsExactlyInAnyOrder("b1", "b2");
    assertThat(grab).extracting(GroundTruth.Action::signedQty).containsExactlyInAnyOrder(-1, -2);
    GroundTruth.Action b1 = grab.stream().filter(a -> a.laneId().equals("b1")).findFirst().orElseThrow();
    GroundTruth.Action b2 = grab.stream().filter(a -> a.laneId().equals("b2")).findFirst().orElseThrow();
    assertThat(b1.handOff()).isEqualTo(b2.handOff()); // one hand
    assertThat(Duration.between(b1.itemMove(), b2.itemMove()).abs()).isLessThan(Duration.ofMillis(1500));
    assertThat(b2.handOn()).isBefore(b1.itemMove().plusMillis(1));
    // the lanes' readings both step within that one interaction
    assertThat(step(p, "b1", b1)).isCloseTo(-b1.grams(), org.assertj.core.data.Offset.offset(3.0));
    assertThat(step(p, "b2", b2)).isCloseTo(-b2.grams(), org.assertj.core.data.Offset.offset(3.0));
  }

  /** Mean reading 1-2 s after the hand left minus mean 1-2 s before it came, grams. */
  private static double step(Played p, String lane, GroundTruth.Action a) {
    return mean(p, lane, a.handOff().plusSeconds(1), a.handOff().plusSeconds(2))
        - mean(p, lane, a.handOn().minusSeconds(2), a.handOn().minusSeconds(1));
  }

  private static double mean(Played p, String lane, Instant from, Instant to) {
    return p.readings().get(lane).stream().filter(r -> r.atMillis() >= from.toEpochMilli() && r.atMillis() <= to.toEpochMilli())
        .mapToDouble(WeightReading::grams).average().orElseThrow();
  }

  @Test
  void leaningLoadsTheLaneForSecondsAndLeavesNothingChanged() throws Exception {
    Played p = play("leaning");
    assertThat(p.cart("cust-lean")).isEmpty();
    assertThat(p.cart("cust-hold")).isEqualTo(cart("WATR-500", 1));
    assertThat(p.cart("cust-after")).isEqualTo(cart("YOGH-500", 1));
    GroundTruth.Action lean = p.truth().shopper("cust-lean").orElseThrow().actions().get(0);
    assertThat(lean.kind()).isEqualTo(GroundTruth.Kind.TOUCH);
    assertThat(lean.signedQty()).isZero();
    assertThat(Duration.between(lean.handOn(), lean.handOff())).isEqualTo(Duration.ofSeconds(8));
    double before = mean(p, "b3", p.at(10), p.at(14));
    double during = mean(p, "b3", p.at(16), p.at(22)) - before;
    double after = mean(p, "b3", p.at(25), p.at(30)) - before;
    assertThat(during).isBetween(40.0, 300.0); // 150 g typical: 0.6-1.4x, slowly varying
    assertThat(after).isBetween(-1.0, 1.0);
    // the lane stays loaded most of the lean, not just a blip
    long loaded = p.readings().get("b3").stream().filter(r -> r.atMillis() >= p.at(16).toEpochMilli() && r.atMillis() <= p.at(22).toEpochMilli())
        .filter(r -> r.grams() - before > 30).count();
    long all = p.readings().get("b3").stream().filter(r -> r.atMillis() >= p.at(16).toEpochMilli() && r.atMillis() <= p.at(22).toEpochMilli()).count();
    assertThat((double) loaded / all).isGreaterThan(0.9);
    // cust-hold takes from a3 while leaning on a4, from where it leans
    GroundTruth.Action take = p.truth().shopper("cust-hold").orElseThrow().actions().stream()
        .filter(a -> a.kind() == GroundTruth.Kind.TAKE).findFirst().orElseThrow();
    Position stand = p.where("cust-hold", take.itemMove());
    Position a4front = p.where("cust-hold", p.at(16));
    assertThat(stand.distanceTo(a4front)).isLessThan(1e-9);
    assertThat(mean(p, "a4", p.at(16), p.at(34)) - mean(p, "a4", p.at(8), p.at(13))).isBetween(100.0, 600.0);
  }

  @Test
  void aBasketSetDownOnALaneWeighsOnItStillUntilLiftedOffAndLeavesNothingChanged() throws Exception {
    Played p = play("basket-on-the-shelf");
    assertThat(p.cart("cust-basket")).isEqualTo(cart("WATR-500", 1));
    assertThat(p.cart("cust-next")).isEqualTo(cart("OJ-1000", 1));
    assertThat(p.cart("cust-bag")).isEqualTo(cart("YOGH-500", 1));
    GroundTruth.Action basket = p.truth().shopper("cust-basket").orElseThrow().actions().get(0);
    assertThat(basket.kind()).isEqualTo(GroundTruth.Kind.TOUCH);
    assertThat(basket.laneId()).isEqualTo("a4");
    assertThat(basket.signedQty()).isZero();
    assertThat(Duration.between(basket.handOn(), basket.handOff())).isEqualTo(Duration.ofSeconds(30));
    // the bag: exactly its weight while it lies there, still (unlike a lean), and nothing after
    double before = mean(p, "c3", p.at(14), p.at(19));
    assertThat(mean(p, "c3", p.at(21), p.at(31)) - before).isCloseTo(640.0, org.assertj.core.api.Assertions.within(3.0));
    List<Double> lying = p.readings().get("c3").stream()
        .filter(r -> r.atMillis() >= p.at(21).toEpochMilli() && r.atMillis() <= p.at(31).toEpochMilli())
        .map(WeightReading::grams).toList();
    double sd = Math.sqrt(lying.stream().mapToDouble(g -> g * g).average().orElseThrow()
        - Math.pow(lying.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), 2));
    assertThat(sd).isLessThan(10.0);
    assertThat(mean(p, "c3", p.at(34), p.at(40)) - before).isBetween(-1.5, 1.5);
    // the juice taken from under the basket: the lane ends one juice lighter
    assertThat(mean(p, "a4", p.at(45), p.at(50)) - mean(p, "a4", p.at(5), p.at(9))).isCloseTo(-1068.0,
        org.assertj.core.api.Assertions.within(25.0));
  }

  @Test
  void fourShoppersCrowdTwoLanesWithinAMetreOfEachOther() throws Exception {
    Played p = play("crowd-of-four");
    assertThat(p.cart("cust-1")).isEqualTo(cart("YOGH-500", 1));
    assertThat(p.cart("cust-2")).isEqualTo(cart("SANDW-HAM", 1));
    assertThat(p.cart("cust-3")).isEqualTo(cart("YOGH-500", 2));
    assertThat(p.cart("cust-4")).isEqualTo(cart("SANDW-HAM", 1, "APPLE-1", 1));
    Instant t = p.at(22.3);
    List<Position> ps = List.of("cust-1", "cust-2", "cust-3", "cust-4").stream().map(c -> p.where(c, t)).toList();
    for (int i = 0; i < 4; i++) {
      double nearest = Double.MAX_VALUE;
      for (int j = 0; j < 4; j++) {
        if (i != j) {
          double d = ps.get(i).distanceTo(ps.get(j));
          assertThat(d).isGreaterThanOrEqualTo(0.5).isLessThan(2.0);
          nearest = Math.min(nearest, d);
        }
      }
      assertThat(nearest).isLessThanOrEqualTo(0.7);
    }
  }

  @Test
  void shoppersWhoLeaveWithNothingHaveEmptyCarts() throws Exception {
    Played p = play("leaves-with-nothing");
    assertThat(p.cart("cust-empty")).isEmpty();
    assertThat(p.cart("cust-undecided")).isEmpty();
    assertThat(p.cart("cust-buyer")).isEqualTo(cart("TPST-75", 1));
    assertThat(p.truth().shopper("cust-empty").orElseThrow().actions()).isEmpty();
    assertThat(p.truth().carts()).containsKeys("cust-empty", "cust-undecided");
  }

  @Test
  void aLookerStandsAtTheLaneWhileAnotherTakesAndPutsNoLoadOnIt() throws Exception {
    Played p = play("looker-at-the-shelf");
    assertThat(p.cart("cust-looker")).isEqualTo(cart("CHOC-100", 1));
    assertThat(p.cart("cust-quick")).isEqualTo(cart("CANDY-52", 1));
    // a look is no interaction: only takes are in the ground truth
    assertThat(p.truth().shopper("cust-looker").orElseThrow().actions()).extracting(GroundTruth.Action::laneId)
        .containsExactly("b1");
    // the looker stands at b2, within reach, while the other's hand is in it
    GroundTruth.Action take = p.truth().shopper("cust-quick").orElseThrow().actions().get(0);
    Position b2 = config.lane("b2").orElseThrow().position();
    assertThat(p.where("cust-looker", take.itemMove()).distanceTo(b2)).isLessThanOrEqualTo(StoreGeometry.MAX_REACH_METRES + 0.2);
    assertThat(p.where("cust-quick", take.itemMove()).distanceTo(b2)).isLessThanOrEqualTo(StoreGeometry.MAX_REACH_METRES + 0.2);
    // and b2 carries no load but the take: flat within noise from the look's start to the hand
    double before = p.readings().get("b2").stream().filter(r -> r.atMillis() > p.at(16).toEpochMilli()
        && r.atMillis() < take.handOn().toEpochMilli()).mapToDouble(WeightReading::grams).max().orElseThrow();
    double base = p.readings().get("b2").stream().filter(r -> r.atMillis() < p.at(14).toEpochMilli())
        .mapToDouble(WeightReading::grams).max().orElseThrow();
    assertThat(before).isCloseTo(base, org.assertj.core.data.Offset.offset(5.0));
  }

  @Test
  void generatedLookersStopAtShelvesAndSomeLeaveWithNothing() throws Exception {
    Scenario s = ScenarioLoader.load(SUITE.resolve("generated-looking.yaml"), config);
    List<ShopperScript> scripts = TrafficGenerator.generate(s.generated().orElseThrow(), s.seed(), config,
        new StoreGeometry(config), s.shoppers());
    long looks = scripts.stream().flatMap(x -> x.actions().stream())
        .filter(a -> a.kind() == ScenarioAction.Kind.BROWSE).count();
    long visits = scripts.size();
    long emptyHanded = scripts.stream().filter(x -> !x.actions().isEmpty()
        && x.actions().stream().allMatch(a -> a.kind() == ScenarioAction.Kind.BROWSE)).count();
    assertThat((double) looks / visits).as("looks per visit").isBetween(1.2, 2.0);
    assertThat((double) emptyHanded / visits).as("share that takes nothing").isBetween(0.03, 0.2);
    Played p = play("generated-looking");
    assertThat(p.truth().shoppers().stream().filter(sh -> sh.cart().isEmpty()).count()).isGreaterThanOrEqualTo(emptyHanded);
  }

  @Test
  void aShopperInAHurryTakesInPassingBesideOneWhoStandsThere() throws Exception {
    Played p = play("taken-in-passing");
    assertThat(p.cart("cust-reader")).isEqualTo(cart("CANDY-52", 1));
    assertThat(p.cart("cust-rush")).isEqualTo(cart("CANDY-52", 1, "CHOC-100", 1));
    for (GroundTruth.Action take : p.truth().shopper("cust-rush").orElseThrow().actions()) {
      Position lane = config.lane(take.laneId()).orElseThrow().position();
      Position on = p.where("cust-rush", take.handOn());
      Position off = p.where("cust-rush", take.handOff());
      double seconds = java.time.Duration.between(take.handOn(), take.handOff()).toMillis() / 1000.0;
      // walking along the shelf with its hand in the lane, within reach of it, the reader beside it
      assertThat(on.distanceTo(off) / seconds).as("rush's pace at %s", take.laneId()).isGreaterThan(0.3);
      assertThat(Math.max(on.distanceTo(lane), off.distanceTo(lane))).isLessThanOrEqualTo(StoreGeometry.MAX_REACH_METRES);
      assertThat(p.where("cust-reader", take.itemMove()).distanceTo(lane)).isLessThanOrEqualTo(1.2);
    }
  }

  @Test
  void generatedShoppersInAHurryWalkFasterAndTakeSomeInPassing() throws Exception {
    Scenario s = ScenarioLoader.load(SUITE.resolve("generated-hurrying.yaml"), config);
    List<ShopperScript> scripts = TrafficGenerator.generate(s.generated().orElseThrow(), s.seed(), config,
        new StoreGeometry(config), s.shoppers());
    List<ShopperScript> hurried = scripts.stream().filter(x -> x.pace() > ShopperScript.DEFAULT_PACE).toList();
    assertThat((double) hurried.size() / scripts.size()).as("share in a hurry").isBetween(0.15, 0.45);
    assertThat(hurried).allMatch(x -> x.pace() == 1.4);
    long takes = hurried.stream().flatMap(x -> x.actions().stream())
        .filter(a -> a.kind() == ScenarioAction.Kind.TAKE && a.parts().size() == 1 && a.from().isEmpty()).count();
    long passing = hurried.stream().flatMap(x -> x.actions().stream()).filter(ScenarioAction::passing).count();
    assertThat((double) passing / takes).as("their single-lane takes in passing").isBetween(0.3, 0.7);
    assertThat(scripts.stream().filter(x -> x.pace() == ShopperScript.DEFAULT_PACE).flatMap(x -> x.actions().stream()))
        .noneMatch(ScenarioAction::passing);
    // the visits of generated-looking (same seed), each taking as many units: hurried ones are quicker
    // (and so, at the door, are some who wait for one to leave)
    Scenario looking = ScenarioLoader.load(SUITE.resolve("generated-looking.yaml"), config);
    List<ShopperScript> calm = TrafficGenerator.generate(looking.generated().orElseThrow(), looking.seed(), config,
        new StoreGeometry(config), looking.shoppers());
    java.util.function.Function<ShopperScript, Object> units = x -> x.token() + " " + x.actions().stream()
        .filter(a -> a.kind() == ScenarioAction.Kind.TAKE).flatMap(a -> a.parts().stream()).mapToInt(ScenarioAction.Part::qty).sum();
    assertThat(scripts).extracting(units).isEqualTo(calm.stream().map(units).toList());
    assertThat(hurried.stream().mapToDouble(x -> x.exitAt() - x.enterAt()).average().orElseThrow())
        .isLessThan(calm.stream().filter(c -> hurried.stream().anyMatch(h -> h.token().equals(c.token())))
            .mapToDouble(x -> x.exitAt() - x.enterAt()).average().orElseThrow());
    play("generated-hurrying");
  }

  @Test
  void aGroupSharesOneTokenAndOneCartWithATrackPerMember() throws Exception {
    Played p = play("group-one-token");
    GroundTruth.Shopper fam1 = p.truth().shopper("fam-1").orElseThrow();
    assertThat(fam1.cart()).isEqualTo(cart("COLA-330", 1, "SANDW-HAM", 1, "GRNLA-40", 1));
    assertThat(fam1.members()).hasSize(3);
    assertThat(fam1.members()).extracting(GroundTruth.Member::trackId).doesNotHaveDuplicates();
    assertThat(fam1.exitedAt()).isEqualTo(p.at(83)); // the third member leaves 2 x 1.5 s after the first
    assertThat(fam1.actions()).extracting(GroundTruth.Action::trackId).containsAll(
        fam1.members().stream().map(GroundTruth.Member::trackId).toList());
    // each member passes the gate with the token and is observed on its own track
    assertThat(p.gates().stream().filter(g -> g.customerToken().equals("fam-1") && g.direction() == GateEvent.Direction.ENTER)
        .map(GateEvent::atMillis).toList()).containsExactly(p.at(2).toEpochMilli(), p.at(3.5).toEpochMilli(), p.at(5).toEpochMilli());
    assertThat(p.seen().stream().filter(o -> "fam-1".equals(o.customerToken())).map(ShopperObservation::trackId).distinct())
        .hasSize(3);
    GroundTruth.Shopper fam2 = p.truth().shopper("fam-2").orElseThrow();
    assertThat(fam2.cart()).isEqualTo(cart("MINTS-40", 1, "TISSU-10", 1));
    assertThat(fam2.members()).hasSize(2);
    assertThat(fam2.exitedAt()).isEqualTo(p.at(70));
    assertThat(p.truth().shoppers()).extracting(GroundTruth.Shopper::token).containsExactly("fam-1", "solo-1", "fam-2");
    assertThat(p.cart("solo-1")).isEqualTo(cart("ENRG-250", 1));
  }

  @Test
  void aShopperWhoComesBackInIsANewVisitWithItsOwnCart() throws Exception {
    Played p = play("re-entry");
    List<GroundTruth.Shopper> back = p.truth().shoppers().stream().filter(s -> s.token().equals("cust-back")).toList();
    assertThat(back).extracting(GroundTruth.Shopper::visit).containsExactly(1, 2);
    assertThat(back.get(0).cart()).isEqualTo(cart("COLA-330", 1));
    assertThat(back.get(1).cart()).isEqualTo(cart("CANDY-52", 2));
    assertThat(back.get(0).exitedAt()).isEqualTo(p.at(30));
    assertThat(back.get(1).enteredAt()).isEqualTo(p.at(50));
    assertThat(back.get(0).trackId()).isNotEqualTo(back.get(1).trackId());
    assertThat(p.truth().carts()).containsOnlyKeys("cust-back", "cust-back#2", "cust-other");
    assertThat(p.truth().visitOf("cust-back", p.at(50))).isEqualTo("cust-back#2");
    assertThat(p.truth().visitOf("cust-back", p.at(2))).isEqualTo("cust-back");
    // the gate sees the token leave before it comes in again
    assertThat(p.gates().stream().filter(g -> g.customerToken().equals("cust-back")).map(GateEvent::direction).toList())
        .containsExactly(GateEvent.Direction.ENTER, GateEvent.Direction.EXIT, GateEvent.Direction.ENTER, GateEvent.Direction.EXIT);
  }

  @Test
  void staffRestockWithNewUnitsAndOweNothing() throws Exception {
    Played p = play("restock-while-shopping");
    GroundTruth.Shopper staff = p.truth().shopper("staff-1").orElseThrow();
    assertThat(staff.staff()).isTrue();
    assertThat(staff.cart()).isEmpty();
    assertThat(p.cart("cust-a")).isEqualTo(cart("COLA-330", 2, "ENRG-250", 1));
    assertThat(p.cart("cust-b")).isEqualTo(cart("COLA-330", 1));
    // three new cans (units the lane never held), placed while cust-a stood at the next lane
    GroundTruth.Action restock = staff.actions().stream().filter(a -> a.signedQty() > 0).findFirst().orElseThrow();
    assertThat(restock.laneId()).isEqualTo("a1");
    assertThat(restock.unitGrams()).hasSize(3).allSatisfy(g -> assertThat(g).isBetween(340.0, 365.0));
    assertThat(p.store().lane("a1").units()).hasSize(12 - 2 + 3 - 1);
    assertThat(p.where("cust-a", restock.itemMove()).distanceTo(p.where("staff-1", restock.itemMove()))).isLessThan(1.0);
  }

  @Test
  void busyTrafficHasManyInsideAndSeveralAtOneShelfAtOnce() throws Exception {
    Played p = play("generated-busy");
    GroundTruth t = p.truth();
    assertThat(t.shoppers().size()).isBetween(45, 95);
    int maxInside = maxInside(p);
    assertThat(maxInside).isBetween(3, 8);
    assertThat(sameShelfAtOnce(t)).isGreaterThanOrEqualTo(5);
  }

  @Test
  void popularTrafficTakesMostlyFromAFewProductsWhileStaffRestocksThem() throws Exception {
    Played p = play("generated-popular");
    GroundTruth t = p.truth();
    Map<String, Integer> taken = new TreeMap<>();
    t.actions().stream().filter(a -> a.kind() == GroundTruth.Kind.TAKE && !a.token().startsWith("staff-"))
        .forEach(a -> taken.merge(a.sku(), -a.signedQty(), Integer::sum));
    int all = taken.values().stream().mapToInt(Integer::intValue).sum();
    int top4 = taken.values().stream().sorted(java.util.Comparator.reverseOrder()).limit(4).mapToInt(Integer::intValue)
        .sum();
    // Zipf exponent 1 over 16 products gives the first four 62 % of the picks (uniform: 25 %)
    assertThat(top4 / (double) all).as("%s", taken).isGreaterThan(0.45);
    assertThat(t.actions()).as("restocked").anyMatch(a -> a.token().startsWith("staff-") && a.signedQty() > 0);
    assertThat(sameShelfAtOnce(t)).isGreaterThanOrEqualTo(5);
  }

  @Test
  void adversarialTrafficHasEveryHardCase() throws Exception {
    Played p = play("generated-adversarial");
    GroundTruth t = p.truth();
    List<GroundTruth.Action> acts = t.actions();
    Map<String, String> planned = config.lanes().stream().collect(Collectors.toMap(StoreConfig.Lane::id, StoreConfig.Lane::sku));
    assertThat(acts).as("reach").anyMatch(GroundTruth.Action::reached);
    assertThat(t.handOffs()).as("hand-off").isNotEmpty();
    assertThat(acts).as("lean").anyMatch(a -> a.kind() == GroundTruth.Kind.TOUCH
        && Duration.between(a.handOn(), a.handOff()).compareTo(Duration.ofSeconds(3)) >= 0);
    assertThat(acts).as("wrong-lane return").anyMatch(a -> a.kind() == GroundTruth.Kind.PUT_BACK && !a.sku().equals(planned.get(a.laneId())));
    assertThat(acts).as("misplaced item taken again").anyMatch(a -> a.kind() == GroundTruth.Kind.TAKE && !a.sku().equals(planned.get(a.laneId())));
    Map<String, Long> perInteraction = acts.stream().filter(a -> a.kind() == GroundTruth.Kind.TAKE)
        .collect(Collectors.groupingBy(a -> a.trackId() + "@" + a.handOff(), Collectors.counting()));
    assertThat(perInteraction.values()).as("multi-lane grab").anyMatch(n -> n >= 2);
    assertThat(t.shoppers()).as("group").anyMatch(s -> s.members().size() > 1);
    assertThat(sameShelfAtOnce(t)).isGreaterThanOrEqualTo(5);
    // hand-offs move carts: the sum over all carts is still what left the shelves
    Map<String, Integer> fromShelves = new TreeMap<>();
    acts.stream().filter(a -> a.kind() != GroundTruth.Kind.TOUCH).forEach(a -> fromShelves.merge(a.sku(), -a.signedQty(), Integer::sum));
    fromShelves.values().removeIf(v -> v == 0);
    Map<String, Integer> inCarts = new TreeMap<>();
    t.shoppers().forEach(s -> s.cart().forEach((k, v) -> inCarts.merge(k, v, Integer::sum)));
    assertThat(inCarts).isEqualTo(fromShelves);
  }

  /** Most people inside at once, counted from the gate events. */
  private static int maxInside(Played p) {
    int inside = 0;
    int max = 0;
    List<GateEvent> sorted = new ArrayList<>(p.gates());
    sorted.sort(java.util.Comparator.comparingLong(GateEvent::atMillis).thenComparing(g -> g.direction() == GateEvent.Direction.ENTER ? 1 : 0));
    for (GateEvent g : sorted) {
      inside += g.direction() == GateEvent.Direction.ENTER ? 1 : -1;
      max = Math.max(max, inside);
    }
    return max;
  }

  /** Pairs of interactions by different people on one shelf whose hands are on it at the same time. */
  static int sameShelfAtOnce(GroundTruth t) {
    Map<String, String> shelfOf = new LinkedHashMap<>();
    config.shelves().forEach(s -> s.lanes().forEach(l -> shelfOf.put(l.id(), s.id())));
    List<GroundTruth.Action> acts = t.actions().stream().filter(a -> a.kind() != GroundTruth.Kind.TOUCH).toList();
    int n = 0;
    for (int i = 0; i < acts.size(); i++) {
      for (int j = i + 1; j < acts.size() && acts.get(j).handOn().isBefore(acts.get(i).handOff()); j++) {
        if (!acts.get(i).token().equals(acts.get(j).token()) && shelfOf.get(acts.get(i).laneId()).equals(shelfOf.get(acts.get(j).laneId()))) {
          n++;
        }
      }
    }
    return n;
  }
}
