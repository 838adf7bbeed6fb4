package org.storeedge.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.time.VirtualScheduler;

class TrafficGeneratorTest {
  private static final Instant T0 = Instant.parse("2026-11-25T09:00:00Z");

  @Test
  void anHourAtSixtyPerHourIsOneShopperAtATimeAndRespectsStock() throws Exception {
    StoreConfig config = TestStores.demo();
    Scenario s = ScenarioLoader.loadResource("generated-hour", config);
    VirtualScheduler vs = new VirtualScheduler(T0);
    SimulatedStore store = new SimulatedStore(config, s, vs);
    List<GroundTruth.Shopper> shoppers = store.groundTruth().shoppers();
    assertThat(shoppers.size()).isBetween(35, 90);
    for (int i = 1; i < shoppers.size(); i++) {
      assertThat(shoppers.get(i).enteredAt()).isAfter(shoppers.get(i - 1).exitedAt());
    }
    assertThat(shoppers.get(shoppers.size() - 1).enteredAt()).isBefore(T0.plusSeconds(3600 + 600));
    double items = shoppers.stream().flatMap(x -> x.actions().stream()).filter(a -> a.kind() == GroundTruth.Kind.TAKE)
        .mapToInt(a -> -a.signedQty()).sum();
    assertThat(items / shoppers.size()).isBetween(1.8, 3.2);
    assertThat(shoppers.stream().flatMap(x -> x.actions().stream()).anyMatch(a -> a.kind() == GroundTruth.Kind.PUT_BACK)).isTrue();
    for (GroundTruth.Shopper sh : shoppers) {
      List<GroundTruth.Action> acts = sh.actions();
      for (int i = 1; i < acts.size(); i++) {
        assertThat(java.time.Duration.between(acts.get(i - 1).handOn(), acts.get(i).handOn()).toMillis()).isGreaterThanOrEqualTo(3000);
      }
      assertThat(sh.cart().values()).allSatisfy(q -> assertThat(q).isPositive());
    }
    assertStockNeverNegative(config, store);
    // playing the whole hour leaves each lane with what the ground truth says
    store.start(e -> { }, o -> { });
    vs.runUntil(store.endTime());
    Map<String, Integer> expected = expectedUnits(config, store.groundTruth());
    for (StoreConfig.Lane l : config.lanes()) {
      assertThat(store.lane(l.id()).units()).as(l.id()).hasSize(expected.get(l.id()));
    }
  }

  /** Units taken per product over the traffic of {@code g} with seed {@code seed}. */
  private static Map<String, Integer> takenPerSku(StoreConfig config, GeneratedTraffic g, long seed) {
    SimulatedStore store = new SimulatedStore(config, Scenario.generated(seed, g), new VirtualScheduler(T0));
    assertStockNeverNegative(config, store);
    Map<String, Integer> n = new HashMap<>();
    store.groundTruth().actions().stream().filter(a -> a.kind() == GroundTruth.Kind.TAKE)
        .forEach(a -> n.merge(a.sku(), -a.signedQty(), Integer::sum));
    return n;
  }

  @Test
  void withPopularityAFewProductsDrawMostTakesAndWhichOnesComesFromTheSeed() {
    StoreConfig config = TestStores.demo();
    GeneratedTraffic plain = new GeneratedTraffic(60, 1200, 2.5, 0, false);
    Map<String, Double> w = TrafficGenerator.popularity(1, 7, config.lanes());
    assertThat(TrafficGenerator.popularity(0, 7, config.lanes())).isEmpty();
    assertThat(w.keySet()).containsExactlyElementsOf(config.lanes().stream().map(StoreConfig.Lane::id).toList());
    // the ranking is the seed's: another seed puts another product first
    String top = w.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    String top8 = TrafficGenerator.popularity(1, 8, config.lanes()).entrySet().stream()
        .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    assertThat(top8).isNotEqualTo(top);
    // the half of the products the seed ranks first draws most takes with popularity, about half without
    List<String> ranked = config.lanes().stream().sorted((a, b) -> Double.compare(w.get(b.id()), w.get(a.id())))
        .map(StoreConfig.Lane::sku).distinct().toList();
    java.util.Set<String> firstHalf = new java.util.HashSet<>(ranked.subList(0, ranked.size() / 2));
    Map<String, Integer> skewed = takenPerSku(config, plain.withPopularity(1), 7);
    Map<String, Integer> even = takenPerSku(config, plain, 7);
    double skewedShare = share(skewed, firstHalf);
    double evenShare = share(even, firstHalf);
    assertThat(skewedShare).as("skewed %s, even %s", skewed, even).isGreaterThan(0.7);
    assertThat(evenShare).isBetween(0.3, 0.7);
  }

  private static double share(Map<String, Integer> taken, java.util.Set<String> skus) {
    int all = taken.values().stream().mapToInt(Integer::intValue).sum();
    return taken.entrySet().stream().filter(e -> skus.contains(e.getKey())).mapToInt(Map.Entry::getValue).sum()
        / (double) all;
  }

  @Test
  void heavyTrafficOnLittleStockNeverTakesFromAnEmptyLane() {
    StoreConfig config = TestStores.demo(10, 0.2); // 1-6 units per lane
    Scenario s = Scenario.generated(3, new GeneratedTraffic(400, 3600, 4, 0.3, true));
    SimulatedStore store = new SimulatedStore(config, s, new VirtualScheduler(T0));
    assertStockNeverNegative(config, store);
    int taken = store.groundTruth().actions().stream().filter(a -> a.kind() == GroundTruth.Kind.TAKE).mapToInt(a -> -a.signedQty()).sum();
    int returned = store.groundTruth().actions().stream().filter(a -> a.kind() == GroundTruth.Kind.PUT_BACK)
        .mapToInt(GroundTruth.Action::signedQty).sum();
    int stock = config.lanes().stream().mapToInt(StoreConfig.Lane::initialStock).sum();
    // what leaves the shelves for good is at most what was on them; a unit put back is taken again
    assertThat(taken - returned).isLessThanOrEqualTo(stock).isGreaterThan(stock / 2);
  }

  @Test
  void overlappingTrafficHasShoppersInsideTogether() {
    StoreConfig config = TestStores.demo();
    SimulatedStore store = new SimulatedStore(config, Scenario.generated(5, new GeneratedTraffic(200, 1800, 2.5, 0.1, true)),
        new VirtualScheduler(T0));
    List<GroundTruth.Shopper> sh = store.groundTruth().shoppers();
    boolean overlap = false;
    for (int i = 1; i < sh.size(); i++) {
      overlap |= sh.get(i).enteredAt().isBefore(sh.get(i - 1).exitedAt());
    }
    assertThat(overlap).isTrue();
    assertStockNeverNegative(config, store);
  }

  @Test
  void generatedShoppersComeAfterScriptedOnes() {
    StoreConfig config = TestStores.demo();
    Scenario s = new Scenario("t", 8, java.util.Optional.empty(), NoiseModel.DEFAULT,
        List.of(ShopperScript.of("cust-1", 0, 100, ScenarioAction.take(10, "a4", 6))),
        java.util.Optional.of(GeneratedTraffic.of(120, 600)));
    SimulatedStore store = new SimulatedStore(config, s, new VirtualScheduler(T0));
    List<GroundTruth.Shopper> sh = store.groundTruth().shoppers();
    assertThat(sh.get(0).token()).isEqualTo("cust-1");
    assertThat(sh.subList(1, sh.size())).allSatisfy(x -> {
      assertThat(x.token()).startsWith("gen-");
      assertThat(x.enteredAt()).isAfterOrEqualTo(T0.plusSeconds(105));
      // cust-1 emptied the orange juice lane
      assertThat(x.cart()).doesNotContainKey("OJ-1000");
    });
  }

  /** Replays the ground truth in item-move order: no lane ever goes below zero units. */
  @Test
  void staffRestockTheLanesThatRunLowSoAnHourOfBusyTrafficKeepsBuying() throws Exception {
    StoreConfig config = TestStores.demo().withCheckout(
        new StoreConfig.Checkout(0.8, StoreConfig.HandOffPolicy.REVIEW, List.of("staff-")));
    GeneratedTraffic busy = new GeneratedTraffic(200, 3600, 2.5, 0.1, true).withMaxInside(8).withBrowseSeconds(15);
    SimulatedStore without = new SimulatedStore(config, Scenario.generated(2001, busy), new VirtualScheduler(T0));
    SimulatedStore with = new SimulatedStore(config, Scenario.generated(2001, busy.withRestockEverySeconds(600)),
        new VirtualScheduler(T0));
    List<GroundTruth.Shopper> staff = with.groundTruth().shoppers().stream().filter(GroundTruth.Shopper::staff).toList();
    assertThat(staff).isNotEmpty().allSatisfy(sh -> {
      assertThat(sh.token()).startsWith("staff-restock-");
      assertThat(sh.cart()).isEmpty();
      assertThat(sh.actions()).isNotEmpty().allSatisfy(a -> assertThat(a.signedQty()).isPositive());
    });
    assertThat(without.groundTruth().shoppers()).noneMatch(GroundTruth.Shopper::staff);
    assertStockNeverNegative(config, with);
    // the store runs dry in half an hour without them
    assertThat(units(with)).isGreaterThan(units(without) + 50);
    // and the scenario file says so, checked like any other
    String yaml = "seed: 2001\ngenerated: { shoppersPerHour: 200, durationSeconds: 3600, overlap: true, maxInside: 8,"
        + " browseSeconds: 15, restockEverySeconds: 600 }\n";
    assertThat(ScenarioLoader.parse("r.yaml", yaml, config).generated().orElseThrow().restockEverySeconds()).isEqualTo(600);
    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(org.storeedge.config.ConfigException.class,
        () -> ScenarioLoader.parse("r.yaml", yaml, TestStores.demo())).problems())
        .extracting(Object::toString).containsExactly("r.yaml:2:128: generated.restockEverySeconds: restocking needs staff:"
            + " the store file's checkout.staffTokenPrefixes names none");
  }

  @Test
  void putBacksCountAsStockSoTwelveHoursOfRestockingNeverOverfillALane() {
    StoreConfig config = TestStores.demo().withCheckout(
        new StoreConfig.Checkout(0.8, StoreConfig.HandOffPolicy.REVIEW, List.of("staff-")));
    GeneratedTraffic day = new GeneratedTraffic(200, 12 * 3600, 2.5, 0.1, true).withMaxInside(8).withBrowseSeconds(15)
        .withRestockEverySeconds(600);
    SimulatedStore store = new SimulatedStore(config, Scenario.generated(2001, day), new VirtualScheduler(T0));
    assertStockNeverNegative(config, store);
    // a put-back on its own lane is stock again: staff who did not count it kept refilling a lane
    // of six juices until it held nineteen
    Map<String, Integer> units = new HashMap<>();
    config.lanes().forEach(l -> units.put(l.id(), l.initialStock()));
    store.groundTruth().actions().stream().filter(a -> a.kind() != GroundTruth.Kind.TOUCH)
        .sorted(java.util.Comparator.comparing(GroundTruth.Action::itemMove)).forEach(a -> {
          int now = units.merge(a.laneId(), a.signedQty(), Integer::sum);
          int capacity = config.lane(a.laneId()).orElseThrow().capacity();
          // a shopper's wrong-lane return may sit on a full lane; staff never fill past capacity
          assertThat(now).as("%s", a).isLessThanOrEqualTo(capacity + 2);
        });
  }

  @Test
  void returnsToAFarLaneOfALongShelfLeaveTimeToWalkThere() throws Exception {
    // the supermarket's chilled wall is 14 lanes (5.9 m) long: a wrong-lane return to its far end
    // used to be planned 4-8 s after the take with no time to walk there, and the checker (run
    // again on the generated scripts) refused the whole run
    StoreConfig config = new org.storeedge.config.StoreConfigLoader(org.storeedge.config.DeviceSettingsValidator.ACCEPT_ALL)
        .load(java.nio.file.Path.of("../config/examples/supermarket.yaml"));
    GeneratedTraffic busy = new GeneratedTraffic(300, 1200, 2.5, 0.5, true).withMaxInside(12).withBrowseSeconds(15)
        .withHardCases(new GeneratedTraffic.HardCases(0, 0, 0, 1.0, 0, 0));
    int wrongLane = 0;
    for (long seed = 1; seed <= 6; seed++) {
      SimulatedStore store = new SimulatedStore(config, Scenario.generated(seed, busy), new VirtualScheduler(T0));
      wrongLane += (int) store.groundTruth().actions().stream().filter(a -> a.kind() == GroundTruth.Kind.PUT_BACK
          && !config.lane(a.laneId()).orElseThrow().sku().equals(a.sku())).count();
    }
    assertThat(wrongLane).isGreaterThan(50);
  }

  private static int units(SimulatedStore store) {
    return store.groundTruth().actions().stream().filter(a -> a.kind() == GroundTruth.Kind.TAKE).mapToInt(a -> -a.signedQty())
        .sum();
  }

  private static void assertStockNeverNegative(StoreConfig config, SimulatedStore store) {
    Map<String, Integer> units = new HashMap<>();
    config.lanes().forEach(l -> units.put(l.id(), l.initialStock()));
    store.groundTruth().actions().stream().filter(a -> a.kind() != GroundTruth.Kind.TOUCH)
        .sorted(java.util.Comparator.comparing(GroundTruth.Action::itemMove)).forEach(a -> {
          int now = units.merge(a.laneId(), a.signedQty(), Integer::sum);
          assertThat(now).as("%s", a).isNotNegative();
        });
  }

  private static Map<String, Integer> expectedUnits(StoreConfig config, GroundTruth t) {
    Map<String, Integer> units = new HashMap<>();
    config.lanes().forEach(l -> units.put(l.id(), l.initialStock()));
    t.actions().forEach(a -> units.merge(a.laneId(), a.signedQty(), Integer::sum));
    return units;
  }
}
