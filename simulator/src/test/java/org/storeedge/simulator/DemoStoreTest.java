package org.storeedge.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.core.time.VirtualScheduler;

/** The example store as the config loader reads it plays both bundled scenarios. */
class DemoStoreTest {
  @Test
  void theExampleStorePlaysTheBundledScenarios() throws Exception {
    StoreConfig config = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(Path.of("../config/examples/demo-store.yaml"));
    assertThat(config.devices()).allSatisfy(d -> assertThat(SimulatedShelfDriverFactory.validateSettings(d)).isEmpty());
    for (String name : ScenarioLoader.BUNDLED) {
      Scenario s = ScenarioLoader.loadResource(name, config);
      SimulatedStore store = new SimulatedStore(config, s, new VirtualScheduler(Instant.parse("2026-11-25T09:00:00Z")));
      assertThat(store.groundTruth().shoppers()).isNotEmpty();
    }
  }
}
