package org.storeedge.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;

class PlanogramTest {
  @TempDir
  Path dir;

  @Test
  void aPlanogramChangesLanesOnlyAndKeepsCamerasTheCheckoutPolicyAndShelfFronts() throws Exception {
    String yaml = """
        store: { id: s, gatewayId: g }
        catalog:
          - { sku: A, name: a, unitWeight: 100, price: 1 }
          - { sku: B, name: b, unitWeight: 200, price: 2 }
        shelves:
          - { id: sh, device: d, facing: -y, lanes: [ { id: l1, sku: A, capacity: 5, channel: 0, position: { x: 1, y: 1 } } ] }
        devices: [ { id: d, type: t } ]
        gates: [ { id: g, position: { x: 0, y: 0 } } ]
        checkout: { reviewThreshold: 0.9, handOffs: taker-pays }
        cameras:
          - id: c
            type: t
            source: /dev/video0
            calibration: { image: [ [0, 0], [1, 0], [1, 1], [0, 1] ], floor: [ [0, 0], [1, 0], [1, 1], [0, 1] ] }
        """;
    StoreConfig config = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).parse("s.yaml", yaml, dir);
    Planogram p = Planogram.parse("{\"lanes\":[{\"laneId\":\"l1\",\"sku\":\"B\",\"capacity\":3}]}"
        .getBytes(StandardCharsets.UTF_8), config);
    StoreConfig changed = p.applyTo(config);
    assertThat(changed.lane("l1").orElseThrow().sku()).isEqualTo("B");
    assertThat(changed.lane("l1").orElseThrow().capacity()).isEqualTo(3);
    assertThat(changed.cameras()).isEqualTo(config.cameras()).hasSize(1);
    assertThat(changed.shelves().get(0).facingDegrees()).hasValue(270);
    assertThat(changed.checkout()).isEqualTo(new StoreConfig.Checkout(0.9, StoreConfig.HandOffPolicy.TAKER_PAYS));
  }

  @Test
  void aPlanogramPuttingAProductTooLightToWeighOnALaneIsRejected(@TempDir Path d) throws Exception {
    String yaml = """
        store: { id: s, gatewayId: g }
        catalog:
          - { sku: A, name: a, unitWeight: 100, price: 1 }
          - { sku: GUM, name: gum stick, unitWeight: 3, price: 1 }
        shelves:
          - { id: sh, device: d, lanes: [ { id: l1, sku: A, capacity: 5, channel: 0, position: { x: 1, y: 1 } } ] }
        devices: [ { id: d, type: t } ]
        gates: [ { id: g, position: { x: 0, y: 0 } } ]
        """;
    StoreConfig config = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).parse("s.yaml", yaml, d);
    CommandRejected e = org.assertj.core.api.Assertions.catchThrowableOfType(CommandRejected.class,
        () -> Planogram.parse("{\"lanes\":[{\"laneId\":\"l1\",\"sku\":\"GUM\"}]}".getBytes(StandardCharsets.UTF_8), config));
    assertThat(e.problems()).singleElement().asString().contains("lanes[0].sku: one unit weighs 3.0 g");
  }
}
