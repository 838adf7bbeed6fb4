package org.storeedge.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.runtime.ProjectModels;
import org.storeedge.simulator.Scenario;
import org.storeedge.simulator.ScenarioLoader;

/**
 * The bundled single-shopper scenario with positions from two simulated cameras through the real
 * vision pipeline (sim-person model in ONNX Runtime) instead of the simulator's own positions.
 */
@ExtendWith(ProjectModels.Home.class)
class VisionSimulationTest {
  @Test
  @SuppressWarnings("unchecked")
  void singleShopperWithVisionGivesEveryShopperAReceipt(@TempDir Path tmp) throws Exception {
    StoreConfig cfg = StoreConfigLoader.loadBundledDemo(DeviceSettingsValidator.ACCEPT_ALL, tmp);
    Scenario sc = ScenarioLoader.loadResource("single-shopper", cfg);

    SimulationRun.Result r = SimulationRun.recognitionOnly(cfg, sc, 2);

    int shoppers = r.truth().shoppers().size();
    assertTrue(shoppers > 0);
    assertEquals(shoppers, r.score().customers());
    assertEquals(shoppers, r.score().receipts(), "one receipt per shopper");
    assertEquals(0, r.score().missingReceipts());
    double f1 = r.score().f1();
    assertTrue(f1 >= 0 && f1 <= 1, "F1 reported: " + f1);
    assertTrue(r.score().exactReceipts() >= 1, "at least one exact receipt: " + r.score());

    Map<String, Object> vision = (Map<String, Object>) r.stats().get("vision");
    assertNotNull(vision, "vision counters in the run's stats");
    assertEquals(2, vision.get("cameras"));
    // every entering shopper's token was bound to a camera track at the gate
    assertEquals((long) shoppers, vision.get("tokensBound"));
    assertTrue((Long) vision.get("observationsWithToken") > 0, "observations carried tokens: " + vision);
    Map<String, Long> byCamera = (Map<String, Long>) vision.get("observationsByCamera");
    assertFalse(byCamera.isEmpty(), "observations came from camera tracks");
    assertTrue(Set.of("cam-0", "cam-1").containsAll(byCamera.keySet()), "track ids start with a camera id: " + byCamera);
  }

  @Test
  @SuppressWarnings("unchecked")
  void ceilingCamerasLookingDownGiveEveryShopperTheRightReceipt(@TempDir Path tmp) throws Exception {
    StoreConfig cfg = StoreConfigLoader.loadBundledDemo(DeviceSettingsValidator.ACCEPT_ALL, tmp);
    Scenario sc = ScenarioLoader.loadResource("single-shopper", cfg);

    SimulationRun.Result r = SimulationRun.recognitionOnly(cfg, sc, VisionRig.Cameras.overhead(), null);

    int shoppers = r.truth().shoppers().size();
    assertEquals(shoppers, r.score().receipts(), "one receipt per shopper");
    assertEquals(shoppers, r.score().exactReceipts(), "every receipt right: " + r.score());
    Map<String, Object> vision = (Map<String, Object>) r.stats().get("vision");
    int grid = org.storeedge.simulator.camera.CameraPoses.overhead(
        new org.storeedge.simulator.camera.StoreLayout(cfg), VisionRig.WIDTH, VisionRig.HEIGHT).size();
    assertEquals(grid, vision.get("cameras"));
    assertTrue(grid > 1, "the store needs more than one ceiling camera: " + grid);
    assertEquals((long) shoppers, vision.get("tokensBound"));
    Map<String, Object> identity = (Map<String, Object>) vision.get("identity");
    assertTrue((Double) identity.get("rightShare") > 0.9, "observations carry the right token: " + identity);
  }

  @Test
  void withoutVisionTheRunHasNoCameras(@TempDir Path tmp) throws Exception {
    StoreConfig cfg = StoreConfigLoader.loadBundledDemo(DeviceSettingsValidator.ACCEPT_ALL, tmp);
    Scenario sc = ScenarioLoader.loadResource("single-shopper", cfg);

    SimulationRun.Result plain = SimulationRun.recognitionOnly(cfg, sc);

    assertFalse(plain.stats().containsKey("vision"));
    assertEquals(plain.truth().shoppers().size(), plain.score().receipts());
  }

  @Test
  void aBadCameraCountOrModelDirectoryIsAClearError(@TempDir Path tmp) throws Exception {
    StoreConfig cfg = StoreConfigLoader.loadBundledDemo(DeviceSettingsValidator.ACCEPT_ALL, tmp);
    Scenario sc = ScenarioLoader.loadResource("single-shopper", cfg);
    org.storeedge.core.time.VirtualScheduler vs = new org.storeedge.core.time.VirtualScheduler(
        java.time.Instant.parse("2026-01-05T09:00:00Z"));
    org.storeedge.simulator.SimulatedStore store = new org.storeedge.simulator.SimulatedStore(cfg, sc, vs);

    IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
        () -> new VisionRig(cfg, store, vs, 5, VisionRig.defaultModelDir()));
    assertTrue(tooMany.getMessage().contains("1..4"), tooMany.getMessage());
    IllegalArgumentException noModel = assertThrows(IllegalArgumentException.class,
        () -> new VisionRig(cfg, store, vs, 2, tmp.resolve("missing")));
    assertTrue(noModel.getMessage().contains("missing"), noModel.getMessage());
  }
}
