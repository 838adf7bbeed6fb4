package org.storeedge.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.core.time.VirtualScheduler;

/**
 * Burst arrivals ({@code generated.bursts}): crowds arriving together on top of the background
 * rate, played in the station kiosk (887 units, so an hour of trains never empties it).
 */
class TrafficBurstsTest {
  private static final Instant T0 = Instant.parse("2026-12-14T07:00:00Z");
  /** A train every 5 minutes, ~12 commuters filing in within 40 s. */
  private static final GeneratedTraffic.Bursts TRAINS = new GeneratedTraffic.Bursts(300, 12, 40);

  private static StoreConfig kiosk;

  @BeforeAll
  static void loadStore() throws Exception {
    kiosk = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(Path.of("../config/examples/station-kiosk.yaml"));
  }

  private static List<ShopperScript> generate(GeneratedTraffic g, long seed) {
    return TrafficGenerator.generate(g, seed, kiosk, new StoreGeometry(kiosk), List.of());
  }

  /** A commuter kiosk: 60 shoppers an hour in the background, quick visits, overlapping. */
  private static GeneratedTraffic background(double seconds) {
    return new GeneratedTraffic(60, seconds, 1.6, 0.1, true).withBrowseSeconds(5);
  }

  @Test
  void everyBurstArrivalComesInAndMostShoppersArriveInTheBurstWindows() {
    GeneratedTraffic g = background(3600).withBursts(TRAINS);
    long seed = 11;
    List<TrafficGenerator.Burst> bursts = TrafficGenerator.bursts(TRAINS, seed, 0, 3600);
    assertThat(bursts).hasSize(12);
    List<ShopperScript> with = generate(g, seed);
    List<ShopperScript> without = generate(background(3600), seed);
    int burstShoppers = bursts.stream().mapToInt(b -> b.arrivals().size()).sum();
    // with no cap on who is inside, a shopper comes in when it arrives: each burst arrival is one
    // of the shoppers, the rest are the background
    List<Double> enters = new ArrayList<>(with.stream().map(ShopperScript::enterAt).toList());
    for (TrafficGenerator.Burst b : bursts) {
      for (double at : b.arrivals()) {
        assertThat(enters.remove(Math.round(at * 1000) / 1000.0)).as("arrival at %s", at).isTrue();
      }
    }
    assertThat(with.size() - burstShoppers).isBetween(40, 80);
    // 40 s of every 300 s is 13 % of the time: without bursts about that share arrives in those
    // windows, with them most do
    assertThat(inWindows(with, bursts)).isGreaterThan(0.6);
    assertThat(inWindows(without, bursts)).isLessThan(0.25);
  }

  private static double inWindows(List<ShopperScript> shoppers, List<TrafficGenerator.Burst> bursts) {
    long in = shoppers.stream().filter(s -> bursts.stream()
        .anyMatch(b -> s.enterAt() >= b.start() && s.enterAt() <= b.start() + TRAINS.withinSeconds() + 0.001)).count();
    return (double) in / shoppers.size();
  }

  @Test
  void burstsComeEveryPeriodWithAboutTheMeanCountSpreadOverTheirWindow() {
    // 2000 trains: the mean of 2000 Poisson(12) counts is 12 +- 0.08 (one standard deviation);
    // the seed is fixed, so the tolerance of about four of them only guards the model
    List<TrafficGenerator.Burst> bursts = TrafficGenerator.bursts(TRAINS, 5, 100, 100 + 2000 * 300 - 1);
    assertThat(bursts).hasSize(2000);
    double first = bursts.get(0).start();
    assertThat(first).isBetween(100.0, 400.0);
    for (int k = 0; k < bursts.size(); k++) {
      TrafficGenerator.Burst b = bursts.get(k);
      assertThat(b.start()).isCloseTo(first + k * 300, within(1e-6));
      assertThat(b.arrivals()).isSorted().allSatisfy(at -> assertThat(at).isBetween(b.start(), b.start() + 40));
    }
    double[] counts = bursts.stream().mapToDouble(b -> b.arrivals().size()).toArray();
    double mean = java.util.Arrays.stream(counts).average().orElseThrow();
    double variance = java.util.Arrays.stream(counts).map(c -> (c - mean) * (c - mean)).sum() / (counts.length - 1);
    assertThat(mean).isCloseTo(12, within(0.3));
    // Poisson: as many ways to miss the train as to catch it (variance = mean), some none at all
    assertThat(variance).isCloseTo(12, within(1.5));
    // the arrivals fill the window evenly: about half in its first 20 s
    long early = bursts.stream().flatMap(b -> b.arrivals().stream().filter(at -> at < b.start() + 20)).count();
    assertThat((double) early / java.util.Arrays.stream(counts).sum()).isCloseTo(0.5, within(0.02));
  }

  @Test
  void theFirstBurstIsAtAnOffsetOfTheSeedAndArrivalsAfterTheEndAreDropped() {
    // the same seed, the same trains; other seeds, other timetables across the whole period
    assertThat(TrafficGenerator.bursts(TRAINS, 3, 0, 1200)).isEqualTo(TrafficGenerator.bursts(TRAINS, 3, 0, 1200));
    List<Double> firsts = LongStream.rangeClosed(1, 20).mapToObj(s -> TrafficGenerator.bursts(TRAINS, s, 0, 1200).get(0).start())
        .toList();
    assertThat(firsts).allSatisfy(f -> assertThat(f).isBetween(0.0, 300.0));
    assertThat(firsts.stream().mapToDouble(f -> f).min().orElseThrow()).isLessThan(60);
    assertThat(firsts.stream().mapToDouble(f -> f).max().orElseThrow()).isGreaterThan(240);
    // the run ends 10 s into a train's window: its later commuters are not played
    for (long seed = 1; seed <= 20; seed++) {
      double first = TrafficGenerator.bursts(TRAINS, seed, 0, 1200).get(0).start();
      double end = first + 600 + 10;
      List<TrafficGenerator.Burst> b = TrafficGenerator.bursts(TRAINS, seed, 0, end);
      assertThat(b).hasSize(3);
      assertThat(b.get(2).arrivals()).allSatisfy(at -> assertThat(at).isLessThanOrEqualTo(end));
      assertThat(generate(background(end).withBursts(TRAINS), seed)).allSatisfy(s -> assertThat(s.enterAt()).isLessThanOrEqualTo(
          Math.round(end * 1000) / 1000.0));
    }
  }

  @Test
  void aBurstWaitsAtTheDoorWhenTheStoreIsFullAndComesInInArrivalOrder() {
    // 15 s of looking per take: a train of 12 fills the 4 places at once, the rest queue
    GeneratedTraffic g = new GeneratedTraffic(60, 1800, 1.6, 0.1, true).withBrowseSeconds(15).withMaxInside(4)
        .withBursts(TRAINS);
    long seed = 21;
    // played, so the scenario checker also sees the generated scripts
    SimulatedStore store = new SimulatedStore(kiosk, Scenario.generated(seed, g), new VirtualScheduler(T0));
    List<ShopperScript> s = generate(g, seed);
    assertThat(store.groundTruth().shoppers()).hasSize(s.size());
    assertThat(maxInside(s)).isEqualTo(4);
    assertThat(s).extracting(ShopperScript::enterAt).isSorted();
    // some commuters came in later than their train brought them: they waited
    List<Double> arrivals = TrafficGenerator.bursts(TRAINS, seed, 0, 1800).stream().flatMap(b -> b.arrivals().stream())
        .map(at -> Math.round(at * 1000) / 1000.0).toList();
    assertThat(arrivals.stream().filter(at -> s.stream().noneMatch(x -> x.enterAt() == at)).count()).isGreaterThan(10);
    // without the cap the same trains have more than 4 inside at once
    assertThat(maxInside(generate(g.withMaxInside(GeneratedTraffic.UNLIMITED), seed))).isGreaterThan(6);
  }

  @Test
  void withoutOverlapABurstComesInOneAfterTheOther() {
    GeneratedTraffic g = new GeneratedTraffic(60, 1200, 1.6, 0.1, false).withBursts(TRAINS);
    List<ShopperScript> s = generate(g, 4);
    assertThat(s.size()).isGreaterThan(30);
    for (int i = 1; i < s.size(); i++) {
      assertThat(s.get(i).enterAt()).isGreaterThan(s.get(i - 1).exitAt());
    }
    assertThat(maxInside(s)).isEqualTo(1);
  }

  @Test
  void badBurstsAreRefusedByTheRecordToo() {
    assertThatThrownBy(() -> new GeneratedTraffic.Bursts(5, 12, 4)).hasMessage("bursts.everySeconds must be in 10..86400 (got: 5.0)");
    assertThatThrownBy(() -> new GeneratedTraffic.Bursts(300, 0, 40)).hasMessage("bursts.meanShoppers must be > 0 and <= 100 (got: 0.0)");
    assertThatThrownBy(() -> new GeneratedTraffic.Bursts(300, 12, 301))
        .hasMessage("bursts.withinSeconds must be > 0 and <= everySeconds 300.0 (got: 301.0)");
    assertThatThrownBy(() -> new GeneratedTraffic(60, 600, 2.5, 0.1, true, 4, GeneratedTraffic.HardCases.NONE, 0, 0, null))
        .hasMessageContaining("bursts must be given");
  }

  @Test
  void theTrainArrivalsScenarioFillsTheKioskToItsCap() throws Exception {
    Scenario sc = ScenarioLoader.load(Path.of("scenarios/station-kiosk/generated-train-arrivals.yaml"), kiosk);
    GeneratedTraffic g = sc.generated().orElseThrow();
    assertThat(g.bursts()).contains(TRAINS);
    List<TrafficGenerator.Burst> bursts = TrafficGenerator.bursts(TRAINS, sc.seed(), 0, g.durationSeconds());
    assertThat(bursts).extracting(b -> b.arrivals().size()).containsExactly(13, 17, 7, 12);
    List<GroundTruth.Shopper> truth = new SimulatedStore(kiosk, sc, new VirtualScheduler(sc.start().orElseThrow()))
        .groundTruth().shoppers();
    assertThat(truth).hasSize(69);
    int max = 0;
    for (GroundTruth.Shopper a : truth) {
      max = Math.max(max, (int) truth.stream()
          .filter(b -> !b.enteredAt().isAfter(a.enteredAt()) && b.exitedAt().isAfter(a.enteredAt())).count());
    }
    assertThat(max).isEqualTo(10);
  }

  /** Most visits inside at once, as {@code maxInside} counts them (in at enter, out after exit). */
  private static int maxInside(List<ShopperScript> s) {
    int max = 0;
    for (ShopperScript a : s) {
      int inside = (int) s.stream().filter(b -> b.enterAt() <= a.enterAt() && b.exitAt() > a.enterAt()).count();
      max = Math.max(max, inside);
    }
    return max;
  }
}
