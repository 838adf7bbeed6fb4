package org.storeedge.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;

/**
 * Generated traffic without {@code bursts} is what it always was for a seed: the fingerprints
 * below were recorded from the generator as it was before burst arrivals were added (same random
 * draws in the same order), for plain, hard-case, restocking and one-at-a-time traffic on four
 * stores. A change that moves one draw changes the digest; a failure here means every recorded
 * benchmark of generated traffic would no longer be comparable. The digests also depend on the
 * example store and scenario files they read: re-record them for a change to those files, never
 * to make a change of the generator pass.
 */
class TrafficFingerprintTest {

  /** Readable: the first arrivals of the suite's busy traffic, seed as in the file. */
  @Test
  void theSuitesBusyTrafficStartsAsItAlwaysDid() throws Exception {
    List<ShopperScript> g = generate("demo-store.yaml", "suite/generated-busy.yaml", 2001);
    assertThat(g).hasSize(73);
    assertThat(g.subList(0, 3)).extracting(ShopperScript::token, ShopperScript::enterAt, ShopperScript::exitAt)
        .containsExactly(tuple("gen-0001", 137.61, 266.05), tuple("gen-0002", 172.081, 297.938),
            tuple("gen-0003", 173.865, 263.643));
  }

  /** Count and digest of everything generated, as {@link #digest} renders it. */
  @ParameterizedTest(name = "{1} seed {2}")
  @CsvSource({
      "demo-store.yaml, suite/generated-busy.yaml, 2001, 73, 50c6b059a709a9b9",
      "demo-store.yaml, suite/generated-busy.yaml, 1, 62, 5d3cd41b70a00813",
      "demo-store.yaml, suite/generated-busy.yaml, 2, 74, b1ab314cbb69ccf5",
      "demo-store.yaml, suite/generated-busy.yaml, 3, 57, c25c31ebdca4c4c0",
      "demo-store.yaml, suite/generated-adversarial.yaml, 3001, 78, 68f205d899ab8d93",
      "demo-store.yaml, suite/generated-adversarial.yaml, 1, 67, 2dd20336d3b17ba6",
      "demo-store.yaml, suite/generated-adversarial.yaml, 2, 72, 35155e51460ae68d",
      "demo-store.yaml, generated-hour.yaml, 7, 56, 3f8c8504231c8fe6",
      "demo-store.yaml, generated-hour.yaml, 1, 57, ea7f8bff946c9548",
      "station-kiosk.yaml, station-kiosk/generated-busy.yaml, 9501, 57, 8593886e1b63ded1",
      "station-kiosk.yaml, station-kiosk/generated-busy.yaml, 1, 57, 8ca089d4c530020f",
      "station-kiosk.yaml, station-kiosk/generated-busy.yaml, 2, 63, 28e787ef69b661b1",
      "station-kiosk.yaml, station-kiosk/generated-adversarial.yaml, 9601, 71, 35571a2eda18c95f",
      "pharmacy.yaml, pharmacy/generated-busy-restock.yaml, 2201, 131, 3cd941378f4b65af",
      "pharmacy.yaml, pharmacy/generated-busy-restock.yaml, 1, 131, f748f0015ed04b08",
      // recorded when popularity came (2026-11-27): a change to its draws shows here
      "demo-store.yaml, suite/generated-popular.yaml, 2101, 82, 955c0ffe305bbc78",
  })
  void everyDrawIsTheSameAsBefore(String store, String scenario, long seed, int count, String digest) throws Exception {
    List<ShopperScript> g = generate(store, scenario, seed);
    assertThat(g).hasSize(count);
    assertThat(digest(g)).isEqualTo(digest);
  }

  private static List<ShopperScript> generate(String store, String scenario, long seed) throws Exception {
    StoreConfig config = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(Path.of("../config/examples", store));
    Scenario sc = ScenarioLoader.load(Path.of("scenarios", scenario), config);
    return TrafficGenerator.generate(sc.generated().orElseThrow(), seed, config, new StoreGeometry(config), sc.shoppers());
  }

  /** SHA-256 (first 16 hex digits) of every script, action and part in order, doubles exactly. */
  static String digest(List<ShopperScript> scripts) throws Exception {
    StringBuilder b = new StringBuilder();
    for (ShopperScript s : scripts) {
      b.append(s.token()).append('|').append(s.enterAt()).append('|').append(s.exitAt()).append('|').append(s.group()).append('\n');
      for (ScenarioAction a : s.actions()) {
        b.append("  ").append(a.at()).append('|').append(a.kind()).append('|').append(a.from().orElse("-")).append('|')
            .append(a.seconds()).append('|').append(a.grams()).append('|').append(a.to().orElse("-")).append('|')
            .append(a.member());
        for (ScenarioAction.Part p : a.parts()) {
          b.append('|').append(p.laneId()).append(':').append(p.qty()).append(':').append(p.sku().orElse("-"));
        }
        b.append('\n');
      }
    }
    byte[] h = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(h).substring(0, 16);
  }
}
