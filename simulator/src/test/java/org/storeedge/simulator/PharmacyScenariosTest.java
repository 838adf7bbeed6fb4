package org.storeedge.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;

/**
 * The hard cases again on other layouts (scenarios/pharmacy for config/examples/pharmacy.yaml,
 * scenarios/supermarket, scenarios/boutique and scenarios/electronics for theirs). Pharmacy:
 * narrow lanes, a double-sided gondola, light medicines and look-alike packs): every file says what
 * it tests and loads against that store, and a scripted one plays to the truth its header gives.
 */
class PharmacyScenariosTest {
  private static final Path DIR = Path.of("scenarios/pharmacy");

  /** Every file of {@code dir} says what it tests and loads against the example store {@code store}. */
  private static void everyFileLoads(String store, String dir, int atLeast) throws Exception {
    StoreConfig config = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(Path.of("../config/examples", store));
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("scenarios", dir))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(atLeast);
    for (Path f : files) {
      assertThat(Files.readString(f)).as(f.toString()).startsWith("# ");
      Scenario sc = ScenarioLoader.load(f, config);
      assertThat(sc.shoppers().size() + (sc.generated().isPresent() ? 1 : 0)).as(f.toString()).isPositive();
    }
  }

  /**
   * Each example store's own cases: the pharmacy (narrow lanes, light medicines), the supermarket
   * (loose produce, 9 kg packs, a 14-lane shelf), the fashion boutique (try-ons put back, sizes on
   * neighbouring lanes, friends on one token), the electronics shop with a drinks fridge (swaps
   * on one lane, look-alike cases and cans), and the stores written to check the checkout on layouts
   * it was not built on: the pet-supply shop, the lunch deli, the hardware shop (a 1 m aisle, screw
   * boxes and padlocks of one weight), the station kiosk (ten shoppers at once, cans of one weight),
   * the beauty shop (9-30 g items on 0.35 m lanes, shades of one weight, a back-to-back gondola) and
   * the wine shop (bottles of one glass on 0.3 m lanes, a 1.1 m aisle between the wine wall and a
   * gondola, magnums, six cans at once).
   */
  @ParameterizedTest(name = "{1}")
  @CsvSource({"pharmacy.yaml, pharmacy, 15", "supermarket.yaml, supermarket, 10", "boutique.yaml, boutique, 10",
      "electronics.yaml, electronics, 12", "petshop.yaml, petshop, 9", "deli.yaml, deli, 9", "hardware.yaml, hardware, 9",
      "station-kiosk.yaml, station-kiosk, 9", "beauty.yaml, beauty, 6",
      "cellar.yaml, cellar, 8"})
  void everyFileSaysWhatItTestsAndLoadsAgainstItsStore(String store, String dir, int atLeast) throws Exception {
    everyFileLoads(store, dir, atLeast);
  }

  @Test
  void aLaneOnTheOtherFaceOfTheGondolaIsOutOfReachThoughOnly1mAway() throws Exception {
    StoreConfig store = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(Path.of("../config/examples/pharmacy.yaml"));
    String yaml = """
        seed: 1
        shoppers:
          - token: x
            enterAt: 1
            exitAt: 40
            actions:
              - { at: 15, take: in1, from: is1 }
              - { at: 25, take: is2, from: is1 }
        """;
    org.storeedge.config.ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> ScenarioLoader.parse("s.yaml", yaml, store), org.storeedge.config.ConfigException.class);
    // in1 is on the north face, back to back with is1's shelf: 1.00 m from is1's standing point
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.toString()).contains("actions[0].from");
      assertThat(p.message()).contains("lane 'in1' faces away from the standing point of lane is1");
    });
  }

  @Test
  void theLookAlikeReturnIsPickedByTheNextShopper() throws Exception {
    StoreConfig store = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(Path.of("../config/examples/pharmacy.yaml"));
    Scenario sc = ScenarioLoader.load(DIR.resolve("wrong-lane-return-picked-later.yaml"), store);
    SimulatedStore s = new SimulatedStore(store, sc, new org.storeedge.core.time.VirtualScheduler(sc.start().orElseThrow()));
    GroundTruth t = s.groundTruth();
    // a 500 g muesli put back on the 250 g muesli lane weighs like two of the lane's own
    assertThat(t.actions()).anySatisfy(a -> {
      assertThat(a.kind()).isEqualTo(GroundTruth.Kind.PUT_BACK);
      assertThat(a.sku()).isEqualTo("MUESLI-500");
      assertThat(a.laneId()).isEqualTo("is1");
    });
    assertThat(t.actions()).anySatisfy(a -> {
      assertThat(a.kind()).isEqualTo(GroundTruth.Kind.TAKE);
      assertThat(a.sku()).isEqualTo("MUESLI-500");
      assertThat(a.laneId()).isEqualTo("is1");
    });
  }
}
