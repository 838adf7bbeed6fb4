package org.storeedge.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.config.ConfigException;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.StoreConfig;

class ScenarioLoaderTest {
  private final StoreConfig store = TestStores.demo();

  private List<String> problems(String yaml) {
    try {
      ScenarioLoader.parse("s.yaml", yaml, store);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems().stream().map(ConfigProblem::toString).toList()));
      // problems of the file as a whole carry an empty key path
      return e.problems().stream().map(x -> x.location() + ": " + (x.keyPath().isEmpty() ? "" : x.keyPath() + ": ") + x.message()).toList();
    }
    throw new AssertionError("expected problems for:\n" + yaml);
  }

  @Test
  void readsTheDocumentedFormat(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("s.yaml");
    Files.writeString(f, """
        seed: 42
        start: 2026-11-25T09:00:00Z
        noise: { electricalGrams: 0.1, handTransientGrams: 25, driftGramsPerHour: 1.5, creepFraction: 0.0003,
                 offCentreFraction: 0.02, vibrationGrams: 0.4, touchProbability: 0.05 }
        shoppers:
          - token: cust-001
            enterAt: 5
            exitAt: 60.5
            actions:
              - { at: 12, take: a1, qty: 2 }
              - { at: 30, putBack: a1, qty: 1 }
              - { at: 40.25, putBack: b2, qty: 1, sku: COLA-330 }
        generated:
          shoppersPerHour: 200
          durationSeconds: 3600
          meanItems: 2.5
          putBackProbability: 0.1
          overlap: true
        """);
    Scenario s = ScenarioLoader.load(f, store);
    assertThat(s.seed()).isEqualTo(42);
    assertThat(s.start()).contains(Instant.parse("2026-11-25T09:00:00Z"));
    assertThat(s.noise()).isEqualTo(new NoiseModel(0.1, 25, 1.5, 0.0003, 600, 0.02, 0.4, 0.05));
    assertThat(s.shoppers()).hasSize(1);
    ShopperScript sh = s.shoppers().get(0);
    assertThat(sh.token()).isEqualTo("cust-001");
    assertThat(sh.exitAt()).isEqualTo(60.5);
    assertThat(sh.actions()).extracting(ScenarioAction::kind, ScenarioAction::laneId, ScenarioAction::qty)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ScenarioAction.Kind.TAKE, "a1", 2),
            org.assertj.core.groups.Tuple.tuple(ScenarioAction.Kind.PUT_BACK, "a1", 1),
            org.assertj.core.groups.Tuple.tuple(ScenarioAction.Kind.PUT_BACK, "b2", 1));
    assertThat(sh.actions().get(2).sku()).contains("COLA-330");
    assertThat(sh.actions().get(2).at()).isEqualTo(40.25);
    assertThat(s.generated()).contains(new GeneratedTraffic(200, 3600, 2.5, 0.1, true));
    assertThat(s.source()).isEqualTo(f.toString());
  }

  @Test
  void defaultsApplyWhenOptionalPartsAreAbsent() throws Exception {
    Scenario s = ScenarioLoader.parse("s.yaml", """
        seed: 1
        generated: { shoppersPerHour: 30, durationSeconds: 600 }
        """, store);
    assertThat(s.noise()).isEqualTo(NoiseModel.DEFAULT);
    assertThat(s.start()).isEmpty();
    assertThat(s.shoppers()).isEmpty();
    assertThat(s.generated()).contains(new GeneratedTraffic(30, 600, 2.5, 0.1, false));
  }

  @Test
  void structuralProblemsAreAllReportedWithLocations() {
    List<String> p = problems("""
        seed: 1
        colour: blue
        noise: { electricalGrams: -1, hum: 3 }
        shoppers:
          - token: cust-001
            enterAt: 5
            exitAt: soon
            actions:
              - { at: 12, take: a1, qty: 2, colour: red }
              - { at: 20, qty: 1 }
              - { at: 30, take: a1, putBack: a1 }
        generated: { shoppersPerHour: -5, durationSeconds: 60, overlap: maybe }
        """);
    assertThat(p).containsExactlyInAnyOrder(
        "s.yaml:2:1: colour: unknown key (known: generated, noise, seed, shoppers, start)",
        "s.yaml:3:27: noise.electricalGrams: must be >= 0 (got: -1)",
        "s.yaml:3:31: noise.hum: unknown key (known: creepFraction, creepTimeConstantSeconds, driftGramsPerHour, electricalGrams, "
            + "handTransientGrams, offCentreFraction, touchProbability, vibrationGrams)",
        "s.yaml:7:13: shoppers[0].exitAt: must be a number (got: 'soon')",
        "s.yaml:9:37: shoppers[0].actions[0].colour: unknown key (known: at, browse, from, give, grab, grams, lean, member, passing, putBack,"
            + " qty, seconds, setDown, sku, take, to)",
        "s.yaml:10:9: shoppers[0].actions[1]: needs exactly one of 'take: LANE', 'putBack: LANE', 'grab: [...]', 'lean: LANE'"
            + ", 'setDown: LANE', 'browse: LANE' or 'give: SKU'",
        "s.yaml:11:9: shoppers[0].actions[2]: needs exactly one of 'take: LANE', 'putBack: LANE', 'grab: [...]', 'lean: LANE'"
            + ", 'setDown: LANE', 'browse: LANE' or 'give: SKU' (got: take, putBack)",
        "s.yaml:12:31: generated.shoppersPerHour: must be > 0 (got: -5)",
        "s.yaml:12:65: generated.overlap: must be true or false (got: 'maybe')");
  }

  @Test
  void burstsAreReadOnTopOfTheBackgroundRate() throws Exception {
    Scenario s = ScenarioLoader.parse("s.yaml", """
        seed: 1
        generated:
          shoppersPerHour: 60
          durationSeconds: 1200
          overlap: true
          maxInside: 10
          bursts:
            everySeconds: 300
            meanShoppers: 12
            withinSeconds: 40
        """, store);
    assertThat(s.generated()).contains(new GeneratedTraffic(60, 1200, 2.5, 0.1, true).withMaxInside(10)
        .withBursts(new GeneratedTraffic.Bursts(300, 12, 40)));
    // without the block: no bursts, and the traffic is the one it always was
    assertThat(ScenarioLoader.parse("s.yaml", "seed: 1\ngenerated: { shoppersPerHour: 60, durationSeconds: 1200 }\n", store)
        .generated().orElseThrow().bursts()).isEmpty();
  }

  @Test
  void badBurstsAreReportedWithTheirLocations() {
    assertThat(problems("""
        seed: 1
        generated:
          shoppersPerHour: 60
          durationSeconds: 1200
          bursts:
            everySeconds: -300
            meanShoppers: 0
            withinSeconds: 0
            trains: 3
        """)).containsExactly(
        "s.yaml:6:19: generated.bursts.everySeconds: must be in 10..86400 (got: -300)",
        "s.yaml:7:19: generated.bursts.meanShoppers: must be > 0 and <= 100 (got: 0)",
        "s.yaml:8:20: generated.bursts.withinSeconds: must be > 0 and <= everySeconds (got: 0)",
        "s.yaml:9:5: generated.bursts.trains: unknown key (known: everySeconds, meanShoppers, withinSeconds)");
    assertThat(problems("""
        seed: 1
        generated:
          shoppersPerHour: 60
          durationSeconds: 1200
          bursts: { everySeconds: 300, withinSeconds: 400, meanShoppers: 101 }
        """)).containsExactly(
        "s.yaml:5:47: generated.bursts.withinSeconds: must be <= everySeconds 300: one burst would run into the next (got: 400)",
        "s.yaml:5:66: generated.bursts.meanShoppers: must be > 0 and <= 100 (got: 101)");
    assertThat(problems("""
        seed: 1
        generated: { shoppersPerHour: 60, durationSeconds: 1200, bursts: { everySeconds: 300 } }
        """)).containsExactly(
        "s.yaml:2:66: generated.bursts.meanShoppers: is required",
        "s.yaml:2:66: generated.bursts.withinSeconds: is required");
    assertThat(problems("""
        seed: 1
        generated: { shoppersPerHour: 60, durationSeconds: 1200, bursts: 12 }
        """)).containsExactly("s.yaml:2:66: generated.bursts: must be a mapping (got: '12')");
    assertThat(problems("""
        seed: 1
        generated: { shoppersPerHour: 60, durationSeconds: 1200, burst: { everySeconds: 300 } }
        """)).containsExactly("s.yaml:2:58: generated.burst: unknown key (known: browseSeconds, bursts, durationSeconds,"
            + " hardCases, hurry, looks, maxInside, meanItems, overlap, popularity, putBackProbability, restockEverySeconds,"
            + " shoppersPerHour)");
    assertThat(problems("""
        seed: 1
        generated: { shoppersPerHour: 60, durationSeconds: 1200, popularity: 4 }
        """)).containsExactly("s.yaml:2:70: generated.popularity: must be in 0..3 (got: 4)");
  }

  @Test
  void missingRequiredKeysAreReported() {
    assertThat(problems("""
        shoppers:
          - { enterAt: 1 }
        """)).containsExactlyInAnyOrder(
        "s.yaml:1:1: seed: is required",
        "s.yaml:2:5: shoppers[0].token: is required",
        "s.yaml:2:5: shoppers[0].exitAt: is required");
    assertThat(problems("seed: 3\n")).containsExactly("s.yaml:1:1: a scenario needs 'shoppers', 'generated' or both");
  }

  @Test
  void brokenYamlIsReportedAtItsPosition() {
    assertThat(problems("seed: 1\nshoppers: [ { token: a\n")).singleElement().asString().startsWith("s.yaml:3:1: not valid YAML");
    assertThat(problems("")).containsExactly("s.yaml:1:1: the scenario is empty");
  }

  @Test
  void timesLanesAndSkusAreCheckedAgainstTheStore() {
    List<String> p = problems("""
        seed: 1
        shoppers:
          - token: cust-001
            enterAt: 10
            exitAt: 5
          - token: cust-002
            enterAt: 10
            exitAt: 60
            actions:
              - { at: 8, take: a1 }
              - { at: 20, take: z9 }
              - { at: 30, take: a1, qty: 0 }
              - { at: 32, take: a2 }
              - { at: 50, putBack: a2, sku: NOPE-1 }
          - token: cust-001
            enterAt: 70
            exitAt: 80
        """);
    assertThat(p).containsExactlyInAnyOrder(
        "s.yaml:5:5: shoppers[0].exitAt: must be after enterAt 10 (got: 5)",
        "s.yaml:10:11: shoppers[1].actions[0].at: must be within the shopper's visit 10..60 (got: 8)",
        "s.yaml:11:19: shoppers[1].actions[1].take: unknown lane 'z9'",
        "s.yaml:12:29: shoppers[1].actions[2].qty: must be >= 1 (got: 0)",
        "s.yaml:13:11: shoppers[1].actions[3].at: must be at least 3 s after the shopper's previous action at 30 (got: 32)",
        "s.yaml:14:32: shoppers[1].actions[4].sku: unknown sku 'NOPE-1' (not in the store catalog)");
  }

  /** cust-001 takes a cola and leaves at {@code firstLeaves}; cust-001 enters at 40 and puts a cola back. */
  private static String takenThenPutBackBy(double firstLeaves) {
    return """
        seed: 1
        shoppers:
          - token: cust-001
            enterAt: 1
            exitAt: %s
            actions:
              - { at: 10, take: a1 }
          - token: cust-001
            enterAt: 40
            exitAt: 70
            actions:
              - { at: 50, putBack: a1 }
        """.formatted(YamlTree.fmt(firstLeaves));
  }

  @Test
  void aTokenBackInAfterItsVisitEndedIsANewVisitThatHoldsNothingYet() throws Exception {
    // left at 30: the second cust-001 is the same shopper coming back in; what it took before is
    // paid for and out of the store, so it cannot put it back
    assertThat(problems(takenThenPutBackBy(30))).containsExactly("s.yaml:12:9: shoppers[1].actions[0].qty: shopper"
        + " cust-001 cannot put back 1 x COLA-330 to lane a1 at 50 s: holds 0");
    // still inside at 40: the two are a group, and one may put back what the other took
    assertThat(ScenarioLoader.parse("s.yaml", takenThenPutBackBy(45), store).shoppers()).hasSize(2);
  }

  @Test
  void takesCannotExceedStockAcrossShoppers() {
    // a4 holds 6 orange juices
    List<String> p = problems("""
        seed: 1
        shoppers:
          - token: first
            enterAt: 0
            exitAt: 60
            actions:
              - { at: 10, take: a4, qty: 4 }
          - token: second
            enterAt: 20
            exitAt: 80
            actions:
              - { at: 30, take: a4, qty: 3 }
        """);
    assertThat(p).containsExactly(
        "s.yaml:12:29: shoppers[1].actions[0].qty: take of 3 x OJ-1000 from lane a4 at 30 s exceeds the lane's stock (has: 2)");
  }

  @Test
  void putBacksNeedWhatTheShopperHolds() {
    List<String> p = problems("""
        seed: 1
        shoppers:
          - token: cust-001
            enterAt: 0
            exitAt: 100
            actions:
              - { at: 10, take: a1, qty: 1 }
              - { at: 20, putBack: a1, qty: 2 }
              - { at: 30, putBack: b2 }
              - { at: 40, putBack: b2, sku: ENRG-250 }
              - { at: 50, putBack: b2, sku: COLA-330 }
              - { at: 60, take: b2, sku: COLA-330 }
        """);
    assertThat(p).containsExactly(
        "s.yaml:8:32: shoppers[0].actions[1].qty: shopper cust-001 cannot put back 2 x COLA-330 to lane a1 at 20 s: holds 1",
        "s.yaml:9:9: shoppers[0].actions[2].qty: shopper cust-001 cannot put back 1 x CANDY-52 to lane b2 at 30 s: holds 0;"
            + " to return another product to this lane, name it with 'sku:'",
        "s.yaml:10:32: shoppers[0].actions[3].sku: shopper cust-001 cannot put back 1 x ENRG-250 to lane b2 at 40 s: holds 0");
  }

  @Test
  void aMisplacedItemCanBeTakenAgainByNamingItsSku() throws Exception {
    Scenario s = ScenarioLoader.parse("s.yaml", """
        seed: 1
        shoppers:
          - token: a
            enterAt: 0
            exitAt: 30
            actions:
              - { at: 5, take: a1 }
              - { at: 10, putBack: b2, sku: COLA-330 }
          - token: b
            enterAt: 31
            exitAt: 60
            actions:
              - { at: 40, take: b2, sku: COLA-330 }
        """, store);
    assertThat(s.shoppers()).hasSize(2);
  }

  @Test
  void aLookStandsAtALaneForSecondsAndIsCheckedLikeALean() throws Exception {
    Scenario s = ScenarioLoader.parse("s.yaml", """
        seed: 1
        shoppers:
          - token: a
            enterAt: 0
            exitAt: 60
            actions:
              - { at: 5, browse: b2 }
              - { at: 8, take: b3 }
              - { at: 20, browse: b1, seconds: 12 }
        generated: { shoppersPerHour: 60, durationSeconds: 600, looks: { perVisit: 2, emptyHanded: 0.25 } }
        """, store);
    assertThat(s.shoppers().get(0).actions()).extracting(ScenarioAction::kind, ScenarioAction::seconds).containsExactly(
        org.assertj.core.groups.Tuple.tuple(ScenarioAction.Kind.BROWSE, ScenarioAction.DEFAULT_BROWSE_SECONDS),
        org.assertj.core.groups.Tuple.tuple(ScenarioAction.Kind.TAKE, 0.0),
        org.assertj.core.groups.Tuple.tuple(ScenarioAction.Kind.BROWSE, 12.0));
    assertThat(s.generated().orElseThrow().looks()).isEqualTo(new GeneratedTraffic.Looks(2, 0.25));
    assertThat(problems("""
        seed: 1
        shoppers:
          - token: a
            enterAt: 0
            exitAt: 60
            actions:
              - { at: 10, browse: b2, grams: 80 }
        generated: { shoppersPerHour: 60, durationSeconds: 600, looks: { perVisit: 30, emptyHanded: 2 } }
        """)).containsExactly(
        "s.yaml:7:38: shoppers[0].actions[0].grams: does not go with 'browse'",
        "s.yaml:8:76: generated.looks.perVisit: must be in 0..20 (got: 30)",
        "s.yaml:8:93: generated.looks.emptyHanded: must be a share in 0..1 (got: 2)");
    assertThat(problems("""
        seed: 1
        shoppers:
          - token: a
            enterAt: 0
            exitAt: 60
            actions:
              - { at: 5, browse: zz }
              - { at: 15, browse: b2, seconds: 0.1 }
              - { at: 20, browse: a1, seconds: 10 }
              - { at: 25, lean: a2 }
        """)).containsExactly(
        "s.yaml:7:18: shoppers[0].actions[0].browse: unknown lane 'zz'",
        "s.yaml:8:31: shoppers[0].actions[1].seconds: must be in 0.5..600 (got: 0.1)",
        "s.yaml:10:11: shoppers[0].actions[3].at: overlaps its look at lane a1 from 20 to 30 (got: 25); while it looks only a"
            + " take or put-back within reach is possible");
  }

  @Test
  void aShopperMayHaveItsOwnPaceAndTakeInPassing() throws Exception {
    Scenario s = ScenarioLoader.parse("s.yaml", """
        seed: 1
        shoppers:
          - token: a
            enterAt: 0
            exitAt: 60
            pace: 1.6
            actions:
              - { at: 5, take: b2, passing: true }
              - { at: 20, putBack: b2, passing: false }
          - { token: b, enterAt: 0, exitAt: 60, actions: [ { at: 9, take: b3 } ] }
        generated: { shoppersPerHour: 60, durationSeconds: 600, hurry: { share: 0.25 } }
        """, store);
    assertThat(s.shoppers()).extracting(ShopperScript::pace).containsExactly(1.6, ShopperScript.DEFAULT_PACE);
    assertThat(s.shoppers().get(0).actions()).extracting(ScenarioAction::passing).containsExactly(true, false);
    assertThat(s.generated().orElseThrow().hurry()).isEqualTo(new GeneratedTraffic.Hurry(0.25,
        GeneratedTraffic.Hurry.DEFAULT_PACE, GeneratedTraffic.Hurry.DEFAULT_PASSING));
    assertThat(ScenarioLoader.parse("s.yaml", "seed: 1\ngenerated: { shoppersPerHour: 60, durationSeconds: 600 }\n", store)
        .generated().orElseThrow().hurry()).isEqualTo(GeneratedTraffic.Hurry.NONE);
    assertThat(problems("""
        seed: 1
        shoppers:
          - token: a
            enterAt: 0
            exitAt: 60
            pace: 5
            actions:
              - { at: 5, grab: [ { lane: b1 }, { lane: b2 } ], passing: true }
              - { at: 15, take: b1, from: b2, passing: true }
              - { at: 25, lean: b3, passing: true }
              - { at: 35, take: b3, passing: yes please }
        generated: { shoppersPerHour: 60, durationSeconds: 600, hurry: { share: 2, pace: 0.1, passing: -1, speed: 1 } }
        """)).containsExactly(
        "s.yaml:6:11: shoppers[0].pace: must be a walking pace in 0.3..2 m/s (got: 5)",
        "s.yaml:8:65: shoppers[0].actions[0].passing: does not go with 'grab'",
        "s.yaml:9:48: shoppers[0].actions[1].passing: only a take or put-back at one lane, from in front of it, is done in"
            + " passing (not with 'from')",
        "s.yaml:10:38: shoppers[0].actions[2].passing: does not go with 'lean'",
        "s.yaml:11:38: shoppers[0].actions[3].passing: must be true or false (got: 'yes please')",
        "s.yaml:12:73: generated.hurry.share: must be a share in 0..1 (got: 2)",
        "s.yaml:12:82: generated.hurry.pace: must be a walking pace in 0.3..2 m/s (got: 0.1)",
        "s.yaml:12:96: generated.hurry.passing: must be a share in 0..1 (got: -1)",
        "s.yaml:12:100: generated.hurry.speed: unknown key (known: pace, passing, share)");
  }

  @Test
  void bundledScenariosLoadByName() throws Exception {
    for (String name : ScenarioLoader.BUNDLED) {
      Scenario s = ScenarioLoader.loadResource(name, store);
      assertThat(s.source()).isEqualTo("scenarios/" + name + ".yaml");
    }
    Scenario single = ScenarioLoader.loadResource("single-shopper", store);
    assertThat(single.shoppers()).extracting(ShopperScript::token).containsExactly("cust-001", "cust-002", "cust-003", "cust-004", "cust-005");
    assertThat(single.shoppers().stream().flatMap(s -> s.actions().stream()).anyMatch(a -> a.qty() > 1)).isTrue();
    assertThat(single.shoppers().stream().flatMap(s -> s.actions().stream()).anyMatch(a -> a.kind() == ScenarioAction.Kind.PUT_BACK)).isTrue();
    Scenario hour = ScenarioLoader.loadResource("generated-hour", store);
    assertThat(hour.generated()).contains(new GeneratedTraffic(60, 3600, 2.5, 0.1, false));
    assertThatThrownBy(() -> ScenarioLoader.loadResource("nope", store)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("no bundled scenario named 'nope' (known: single-shopper, generated-hour)");
  }

  @Test
  void theReadableCopyIsTheBundledOne() throws Exception {
    // the files users read in simulator/scenarios are the ones packaged
    Path dir = Path.of("scenarios");
    for (String name : ScenarioLoader.BUNDLED) {
      String onDisk = Files.readString(dir.resolve(name + ".yaml"));
      try (var in = ScenarioLoader.class.getResourceAsStream("/org/storeedge/simulator/scenarios/" + name + ".yaml")) {
        assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(onDisk);
      }
    }
  }
}
