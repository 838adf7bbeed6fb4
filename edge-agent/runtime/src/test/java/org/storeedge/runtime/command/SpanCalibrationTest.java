package org.storeedge.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.checkout.cart.CheckoutSettings;
import org.storeedge.checkout.cart.Receipt;
import org.storeedge.checkout.cart.ReceiptLine;
import org.storeedge.checkout.weight.DetectorSettings;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.core.device.DriverFactory;
import org.storeedge.core.device.DriverRegistry;
import org.storeedge.core.device.ReadingSink;
import org.storeedge.core.device.WeightDriver;
import org.storeedge.core.device.WeightReading;
import org.storeedge.core.time.Scheduler;
import org.storeedge.core.time.VirtualScheduler;
import org.storeedge.runtime.Agent;
import org.storeedge.simulator.Scenario;
import org.storeedge.simulator.ScenarioLoader;
import org.storeedge.simulator.SimulatedStore;
import org.storeedge.sync.outbox.OutboxOptions;
import org.storeedge.sync.outbox.SqliteOutbox;
import org.storeedge.sync.state.CalibrationStore;
import org.storeedge.sync.state.StateDatabase;

/**
 * A load cell that reports 80 % of the true load (a wrong factory gain) on the simulated demo
 * store, with the real agent on virtual time: picks from it are misread until a span calibration
 * with the lane's known load corrects it.
 */
class SpanCalibrationTest {
  private static final Path DEMO = Path.of("../../config/examples/demo-store.yaml");
  private static final String SCENARIO = """
      seed: 7
      start: 2026-11-25T09:00:00Z
      shoppers:
        - token: cust-1
          enterAt: 10
          exitAt: 40
          actions:
            - { at: 15, take: a1, qty: 2 }
            - { at: 25, take: b1, qty: 1 }
      """;

  @TempDir
  Path dir;

  /** The simulator's factory with lane a1's readings scaled. */
  private static DriverFactory misScaled(DriverFactory sim, String lane, double scale) {
    return new DriverFactory() {
      @Override
      public String type() {
        return sim.type();
      }

      @Override
      public List<ConfigProblem> validate(StoreConfig.Device device) {
        return sim.validate(device);
      }

      @Override
      public WeightDriver create(StoreConfig.Device device, List<StoreConfig.Lane> lanes, Scheduler scheduler,
          ReadingSink sink) {
        return sim.create(device, lanes, scheduler, r -> sink.accept(r.laneId().equals(lane) && r.status().ok()
            ? new WeightReading(r.laneId(), r.atMillis(), r.grams() * scale, r.status()) : r));
      }
    };
  }

  private Map<String, Integer> run(String name, boolean calibrate) throws Exception {
    StoreConfig cfg = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(DEMO);
    Path scenarioFile = Files.writeString(dir.resolve(name + "-scenario.yaml"), SCENARIO, StandardCharsets.UTF_8);
    Scenario sc = ScenarioLoader.load(scenarioFile, cfg);
    VirtualScheduler vs = new VirtualScheduler(Instant.parse("2026-11-25T09:00:00Z"));
    SimulatedStore store = new SimulatedStore(cfg, sc, vs);
    DriverRegistry drivers = new DriverRegistry(List.of(misScaled(store.driverFactory(), "a1", 0.8)));
    List<Receipt> receipts = new ArrayList<>();
    try (StateDatabase state = StateDatabase.open(dir.resolve(name + "-state.db"));
        SqliteOutbox outbox = SqliteOutbox.open(dir.resolve(name + ".db"), new OutboxOptions(1 << 30, vs))) {
      Set<String> lanes = cfg.lanes().stream().map(StoreConfig.Lane::id).collect(Collectors.toSet());
      LaneCalibrator calibrator = new LaneCalibrator(new CalibrationStore(state), vs, lanes);
      DeviceTap tap = new DeviceTap(drivers, calibrator);
      Agent agent = new Agent(cfg, vs, tap.registry(), outbox, true, DetectorSettings.defaults(),
          CheckoutSettings.defaults(), List.of());
      agent.addReceiptListener(receipts::add);
      agent.start();
      store.start(agent::onGate, agent::onObservation);
      vs.runUntil(store.startTime().plusSeconds(5));
      if (calibrate) {
        // the lane holds its initial stock of cans: that is the known weight
        StoreConfig.Lane a1 = cfg.lane("a1").orElseThrow();
        double known = a1.initialStock() * cfg.product(a1.sku()).orElseThrow().unitWeightGrams();
        LaneCalibrator.Result r = calibrator.span("a1", known);
        assertThat(r.calibration().gain()).isBetween(1.23, 1.27);
      }
      vs.runUntil(store.endTime().plusSeconds(10));
      agent.close();
    }
    assertThat(receipts).hasSize(1);
    Receipt r = receipts.get(0);
    Map<String, Integer> items = new TreeMap<>();
    for (ReceiptLine l : r.items()) {
      items.merge(l.sku(), l.qty(), Integer::sum);
    }
    if (r.needsReview()) {
      items.put("needsReview", 1);
    }
    return items;
  }

  @Test
  void aSpanCalibrationCorrectsAMisScaledLaneSoItsPicksAreRecognisedAgain() throws Exception {
    Map<String, Integer> before = run("uncalibrated", false);
    Map<String, Integer> after = run("calibrated", true);
    System.out.printf("receipt with lane a1 at 80 %% gain: %s; after a span calibration: %s%n", before, after);
    assertThat(before).as("the mis-scaled lane must spoil the receipt, else this test proves nothing")
        .isNotEqualTo(Map.of("COLA-330", 2, "CHOC-100", 1));
    assertThat(after).isEqualTo(Map.of("COLA-330", 2, "CHOC-100", 1));
  }
}
