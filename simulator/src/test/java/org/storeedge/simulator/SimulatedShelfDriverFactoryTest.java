package org.storeedge.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.DriverRegistry;
import org.storeedge.core.device.ReadingStatus;
import org.storeedge.core.device.WeightDriver;
import org.storeedge.core.device.WeightReading;
import org.storeedge.core.time.VirtualScheduler;

class SimulatedShelfDriverFactoryTest {
  private static final Instant T0 = Instant.parse("2026-11-25T09:00:00Z");

  private static SimulatedStore idleStore(StoreConfig config, VirtualScheduler vs) {
    return new SimulatedStore(config, Scenario.scripted(1, List.of(ShopperScript.of("x", 100, 110))), vs);
  }

  @ParameterizedTest
  @ValueSource(ints = {10, 80})
  void deliversOneReadingPerLanePerSamplePeriod(int rateHz) throws Exception {
    StoreConfig config = TestStores.demo(rateHz, 1.0);
    VirtualScheduler vs = new VirtualScheduler(T0);
    SimulatedStore store = idleStore(config, vs);
    List<WeightReading> r = new ArrayList<>();
    StoreConfig.Shelf shelf = config.shelves().get(1);
    WeightDriver d = store.driverFactory().create(config.device(shelf.device()).orElseThrow(), shelf.lanes(), vs, r::add);
    assertThat(d.deviceId()).isEqualTo("cells-b");
    d.start();
    vs.advance(Duration.ofSeconds(5));
    assertThat(r).hasSize(5 * rateHz * 4);
    Map<String, Long> perLane = r.stream().collect(Collectors.groupingBy(WeightReading::laneId, LinkedHashMap::new, Collectors.counting()));
    assertThat(perLane).containsOnlyKeys("b1", "b2", "b3", "b4").allSatisfy((k, v) -> assertThat(v).isEqualTo(5L * rateHz));
    for (int second = 0; second < 5; second++) {
      long from = T0.toEpochMilli() + second * 1000L;
      assertThat(r.stream().filter(x -> x.laneId().equals("b1") && x.atMillis() > from && x.atMillis() <= from + 1000)).hasSize(rateHz);
    }
    assertThat(r).allSatisfy(x -> assertThat(x.status()).isEqualTo(ReadingStatus.OK));
    // b1 holds 20 chocolate bars of ~106 g
    assertThat(SimulatedLaneTest.mean(r, "b1", T0.toEpochMilli(), T0.toEpochMilli() + 5000)).isBetween(20 * 106 - 40.0, 20 * 106 + 40.0);
    d.stop();
    int n = r.size();
    vs.advance(Duration.ofSeconds(2));
    assertThat(r).hasSize(n);
  }

  @Test
  void aCellAtFullScaleReportsSaturation() throws Exception {
    StoreConfig base = TestStores.demo(10, 1.0);
    List<StoreConfig.Device> devices = new ArrayList<>(base.devices());
    devices.set(0, TestStores.device("cells-a", 0, Map.of("sampleRateHz", 10, "fullScaleGrams", 1000)));
    StoreConfig config = new StoreConfig(base.source(), base.store(), base.catalog(), base.shelves(), devices, base.gates(), base.sync(), base.storage());
    VirtualScheduler vs = new VirtualScheduler(T0);
    SimulatedStore store = idleStore(config, vs);
    List<WeightReading> r = new ArrayList<>();
    store.driverFactory().create(devices.get(0), config.shelves().get(0).lanes(), vs, r::add).start();
    vs.advance(Duration.ofSeconds(1));
    // a1 holds 12 colas (~4.2 kg) on a 1 kg cell
    assertThat(r).filteredOn(x -> x.laneId().equals("a1")).allSatisfy(x -> {
      assertThat(x.status()).isEqualTo(ReadingStatus.SATURATED);
      assertThat(x.grams()).isEqualTo(1000);
    });
  }

  @Test
  void settingsAreValidatedWithLocations() {
    StoreConfig.Device bad = TestStores.device("cells-x", 3, new LinkedHashMap<>(Map.of("sampleRateHz", 0)));
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("sampleRateHz", "fast");
    s.put("fullScaleGrams", -5);
    s.put("gain", 128);
    StoreConfig.Device worse = TestStores.device("cells-y", 4, s);
    List<String> p1 = SimulatedShelfDriverFactory.validateSettings(bad).stream().map(ConfigProblem::toString).toList();
    assertThat(p1).containsExactly(
        "test-store.yaml:63:40: devices[3].settings.sampleRateHz: must be a whole number of samples per second in 1..1000, e.g. 10 or 80 (got: 0)");
    List<String> p2 = SimulatedShelfDriverFactory.validateSettings(worse).stream().map(ConfigProblem::toString).toList();
    assertThat(p2).containsExactly(
        "test-store.yaml:64:80: devices[4].settings.gain: unknown setting for a simulated-shelf (known: fullScaleGrams, sampleRateHz)",
        "test-store.yaml:64:40: devices[4].settings.sampleRateHz: must be a whole number of samples per second in 1..1000, e.g. 10 or 80 (got: fast)",
        "test-store.yaml:64:60: devices[4].settings.fullScaleGrams: must be a number of grams > 0 (got: -5)");
    StoreConfig config = TestStores.demo();
    assertThat(SimulatedShelfDriverFactory.validateSettings(config.devices().get(0))).isEmpty();
    assertThat(SimulatedShelfDriverFactory.validateSettings(TestStores.device("d", 0, Map.of()))).isEmpty();
    assertThat(SimulatedShelfDriverFactory.validateSettings(TestStores.device("d", 0, Map.of("sampleRateHz", 60.0)))).isEmpty();
  }

  @Test
  void unratedCellsAreChosenForTheirHeaviestLaneAndAGivenRatingIsCheckedAgainstIt(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    String yaml = java.nio.file.Files.readString(java.nio.file.Path.of("../config/examples/demo-store.yaml"))
        .replace("{ id: a4, sku: OJ-1000,   capacity: 6, ", "{ id: a4, sku: OJ-1000,   capacity: 24,");
    String unrated = yaml.replace("{ id: cells-a, type: simulated-shelf, settings: { sampleRateHz: 80, fullScaleGrams: 20000 } }",
        "{ id: cells-a, type: simulated-shelf, settings: { sampleRateHz: 80 } }");
    StoreConfig c = new org.storeedge.config.StoreConfigLoader(org.storeedge.config.DeviceSettingsValidator.ACCEPT_ALL)
        .parse("s.yaml", unrated, dir);
    // 24 x (1,068 + 3 x 8) g = 26.2 kg full, a quarter to spare = 32.8 kg: the 50 kg cells
    assertThat(SimulatedShelfDriverFactory.fullScaleOf(c.device("cells-a").orElseThrow(), c)).isEqualTo(50_000);
    assertThat(SimulatedShelfDriverFactory.validateLoad(c.device("cells-a").orElseThrow(), c)).isEmpty();
    // shelf b's heaviest lane is light, and its rating is given anyway
    assertThat(SimulatedShelfDriverFactory.fullScaleOf(c.device("cells-b").orElseThrow(), c)).isEqualTo(20_000);
    assertThat(SimulatedShelfDriverFactory.validateLoad(c.device("cells-b").orElseThrow(), c)).isEmpty();

    StoreConfig rated = new org.storeedge.config.StoreConfigLoader(org.storeedge.config.DeviceSettingsValidator.ACCEPT_ALL)
        .parse("s.yaml", yaml, dir);
    assertThat(SimulatedShelfDriverFactory.validateLoad(rated.device("cells-a").orElseThrow(), rated))
        .extracting(ConfigProblem::toString).singleElement().satisfies(p -> assertThat(p)
            .startsWith("s.yaml:59:").contains("devices[0].settings.fullScaleGrams: the cells saturate at 20000 g")
            .contains("lane a4 (24 x OJ-1000 of 1068 g: up to 26208 g)"));
  }

  @Test
  void registersInADriverRegistryUnderItsType() {
    StoreConfig config = TestStores.demo();
    SimulatedStore store = idleStore(config, new VirtualScheduler(T0));
    DriverRegistry registry = new DriverRegistry(List.of(store.driverFactory()));
    assertThat(registry.factory("simulated-shelf")).containsSame(store.driverFactory());
    assertThat(registry.validate(config.devices().get(0))).isEmpty();
  }

  @Test
  void lanesOutsideTheStoreAreRefused() {
    StoreConfig config = TestStores.demo();
    VirtualScheduler vs = new VirtualScheduler(T0);
    SimulatedStore store = idleStore(config, vs);
    StoreConfig.Lane stranger = new StoreConfig.Lane("z1", "COLA-330", 5, 5, "0", new StoreConfig.Position(0, 0));
    assertThatThrownBy(() -> store.driverFactory().create(config.devices().get(0), List.of(stranger), vs, x -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("lane z1 of device cells-a is not in the simulated store");
  }
}
