package org.storeedge.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.WeightReading;
import org.storeedge.core.time.VirtualScheduler;

class SimulatedLaneTest {
  private static final long T0 = 1_000_000_000_000_000_000L;
  private static final long PERIOD = 12_500_000L; // 80 Hz

  private static List<SimulatedLane.Unit> units(int n, double grams) {
    List<SimulatedLane.Unit> u = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      u.add(new SimulatedLane.Unit(i + 1, "COLA-330", grams + i));
    }
    return u;
  }

  @Test
  void withoutNoiseTheReadingIsExactlyTheUnitsOnTheLane() {
    List<SimulatedLane.Unit> u = units(5, 350);
    SimulatedLane lane = new SimulatedLane("a1", u, NoiseModel.none(), 20000, new Random(1));
    assertThat(lane.sample(T0)).isEqualTo(350 + 351 + 352 + 353 + 354);
    lane.remove(List.of(u.get(2)), T0 + 1);
    assertThat(lane.sample(T0 + 2)).isEqualTo(350 + 351 + 353 + 354);
    lane.place(List.of(u.get(2)), T0 + 3);
    assertThat(lane.sample(T0 + 4)).isEqualTo(350 + 351 + 352 + 353 + 354);
    assertThat(lane.units()).hasSize(5);
  }

  @Test
  void electricalNoiseHasTheConfiguredRms() {
    NoiseModel n = NoiseModel.none().withElectricalGrams(0.08);
    SimulatedLane lane = new SimulatedLane("a1", units(10, 350), n, 20000, new Random(7));
    double[] s = new double[20_000];
    for (int i = 0; i < s.length; i++) {
      s[i] = lane.sample(T0 + i * PERIOD);
    }
    // 20,000 samples: the rms is known to well under 2%; +-12% never flakes
    assertThat(rmsAboutMean(s)).isBetween(0.07, 0.09);
  }

  @Test
  void vibrationHasTheConfiguredRms() {
    NoiseModel n = NoiseModel.none().withVibrationGrams(0.5);
    SimulatedLane lane = new SimulatedLane("a1", units(10, 350), n, 20000, new Random(11));
    double[] s = new double[40_000];
    for (int i = 0; i < s.length; i++) {
      s[i] = lane.sample(T0 + i * PERIOD);
    }
    assertThat(rmsAboutMean(s)).isBetween(0.4, 0.6);
  }

  @Test
  void driftWandersSlowlyButStaysSmallOverAnHour() {
    NoiseModel n = new NoiseModel(0, 0, 2, 0, 600, 0, 0, 0);
    SimulatedLane lane = new SimulatedLane("a1", units(10, 350), n, 20000, new Random(3));
    double first = lane.sample(T0);
    double maxStep = 0;
    double prev = first;
    double last = first;
    for (int i = 1; i <= 3600 * 10; i++) {
      last = lane.sample(T0 + i * 100_000_000L);
      maxStep = Math.max(maxStep, Math.abs(last - prev));
      prev = last;
    }
    assertThat(maxStep).isLessThan(0.2); // 2 g/sqrt(h) at 10 Hz: ~0.01 g per step
    assertThat(Math.abs(last - first)).isLessThan(10); // 5 sigma of an hour's walk
  }

  @Test
  void creepFollowsALoadChangeWithItsTimeConstant() {
    NoiseModel n = new NoiseModel(0, 0, 0, 0.001, 600, 0, 0, 0);
    List<SimulatedLane.Unit> u = units(3, 1000);
    SimulatedLane lane = new SimulatedLane("a1", u, n, 20000, new Random(3));
    double before = lane.sample(T0);
    lane.remove(List.of(u.get(0)), T0 + 1);
    double justAfter = lane.sample(T0 + 2);
    double later = lane.sample(T0 + 1800L * 1_000_000_000L);
    assertThat(before - justAfter).isCloseTo(1000, within(0.01));
    // 0.1% of the 1000 g change, 95% of it after 3 time constants
    assertThat(justAfter - later).isCloseTo(0.95, within(0.02));
  }

  @Test
  void stableReadingAfterAPickDiffersByThePickedUnitsActualWeight() throws Exception {
    NoiseModel n = NoiseModel.DEFAULT.withHandTransientGrams(30);
    checkPick(new NoiseModel(n.electricalGrams(), n.handTransientGrams(), n.driftGramsPerHour(), n.creepFraction(),
        n.creepTimeConstantSeconds(), 0, n.vibrationGrams(), 0), 0.5);
    // off-centre placement adds up to 1% of the unit's weight
    checkPick(NoiseModel.DEFAULT, 0.5 + 0.01 * 2 * 360);
  }

  private void checkPick(NoiseModel noise, double toleranceGrams) throws Exception {
    StoreConfig config = TestStores.demo(80, 1.0);
    Scenario sc = Scenario.scripted(5, List.of(ShopperScript.of("cust-1", 1, 20, ScenarioAction.take(5, "a1", 2))))
        .withNoise(noise).withStart(Instant.parse("2026-11-25T09:00:00Z"));
    VirtualScheduler vs = new VirtualScheduler(sc.start().orElseThrow());
    SimulatedStore store = new SimulatedStore(config, sc, vs);
    List<WeightReading> r = new ArrayList<>();
    StoreConfig.Device dev = config.device("cells-a").orElseThrow();
    store.driverFactory().create(dev, config.shelves().get(0).lanes(), vs, r::add).start();
    store.start(e -> { }, o -> { });
    vs.runUntil(store.endTime());
    GroundTruth.Action take = store.groundTruth().actions().get(0);
    long on = take.handOn().toEpochMilli();
    long off = take.handOff().toEpochMilli();
    double before = mean(r, "a1", on - 2000, on);
    double after = mean(r, "a1", off + 500, off + 2500);
    assertThat(take.unitGrams()).hasSize(2);
    assertThat(after - before).isCloseTo(-take.grams(), within(toleranceGrams));
    // and the hand was seen while it was on the lane
    double maxDev = r.stream().filter(x -> x.laneId().equals("a1") && x.atMillis() > on && x.atMillis() < take.itemMove().toEpochMilli())
        .mapToDouble(x -> Math.abs(x.grams() - before)).max().orElse(0);
    assertThat(maxDev).isGreaterThan(5);
  }

  @Test
  void aHandAddsATransientThatIsGoneWhenItLeaves() {
    NoiseModel n = NoiseModel.none().withHandTransientGrams(30);
    SimulatedLane lane = new SimulatedLane("a1", units(4, 300), n, 20000, new Random(5));
    double base = lane.sample(T0);
    HandTransient h = HandTransient.draw(new Random(9), T0 + 1_000_000_000L, T0 + 3_000_000_000L, 30);
    lane.handOn(h);
    double maxDev = 0;
    for (long t = T0 + 1_000_000_000L; t <= T0 + 3_000_000_000L; t += PERIOD) {
      maxDev = Math.max(maxDev, Math.abs(lane.sample(t) - base));
    }
    lane.handOff(h);
    assertThat(maxDev).isBetween(5.0, 200.0);
    assertThat(lane.sample(T0 + 3_100_000_000L)).isEqualTo(base);
  }

  static double mean(List<WeightReading> r, String lane, long fromMillis, long toMillis) {
    return r.stream().filter(x -> x.laneId().equals(lane) && x.atMillis() >= fromMillis && x.atMillis() < toMillis)
        .mapToDouble(WeightReading::grams).average().orElseThrow();
  }

  private static double rmsAboutMean(double[] s) {
    double m = 0;
    for (double v : s) {
      m += v;
    }
    m /= s.length;
    double q = 0;
    for (double v : s) {
      q += (v - m) * (v - m);
    }
    return Math.sqrt(q / s.length);
  }

  @Test
  void touchesShakeALaneWithoutChangingIt() throws Exception {
    StoreConfig config = TestStores.demo(80, 1.0);
    NoiseModel n = NoiseModel.none().withHandTransientGrams(30).withTouchProbability(1);
    Scenario sc = Scenario.scripted(5, List.of(ShopperScript.of("cust-1", 1, 30, ScenarioAction.take(5, "a1", 1),
        ScenarioAction.take(15, "a3", 1)))).withNoise(n);
    VirtualScheduler vs = new VirtualScheduler(Instant.parse("2026-11-25T09:00:00Z"));
    SimulatedStore store = new SimulatedStore(config, sc, vs);
    List<GroundTruth.Action> touches = store.groundTruth().actions().stream().filter(a -> a.kind() == GroundTruth.Kind.TOUCH).toList();
    assertThat(touches).hasSize(2).allSatisfy(a -> {
      assertThat(a.signedQty()).isZero();
      assertThat(a.laneId()).startsWith("a");
    });
    assertThat(store.groundTruth().shopper("cust-1").orElseThrow().cart()).containsOnlyKeys("COLA-330", "WATR-500");
    List<WeightReading> r = new ArrayList<>();
    store.driverFactory().create(config.device("cells-a").orElseThrow(), config.shelves().get(0).lanes(), vs, r::add).start();
    store.start(e -> { }, o -> { });
    vs.advance(Duration.ofSeconds(40));
    GroundTruth.Action t = touches.get(0);
    long on = t.handOn().toEpochMilli();
    long off = t.handOff().toEpochMilli();
    double before = mean(r, t.laneId(), on - 300, on);
    assertThat(mean(r, t.laneId(), off + 100, off + 600)).isEqualTo(before);
    double maxDev = r.stream().filter(x -> x.laneId().equals(t.laneId()) && x.atMillis() > on && x.atMillis() < off)
        .mapToDouble(x -> Math.abs(x.grams() - before)).max().orElse(0);
    assertThat(maxDev).isGreaterThan(5);
  }
}
