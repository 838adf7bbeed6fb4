package org.storeedge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreConfigLoaderProblemsTest {
  @TempDir
  Path dir;

  private final StoreConfigLoader loader = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL);

  private List<String> problems(String yaml) {
    return problems(loader, yaml);
  }

  private List<String> problems(StoreConfigLoader l, String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> l.parse("store.yaml", yaml, dir));
    assertThat(e).as("expected problems in:\n" + yaml).isNotNull();
    assertThat(e.getMessage()).isEqualTo(String.join("\n", e.lines()));
    assertThat(e.warnings()).isEqualTo(l.warnings());
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  /** The warnings of a store that loads. */
  private List<String> warnings(String yaml) throws ConfigException {
    loader.parse("store.yaml", yaml, dir);
    return loader.warnings().stream().map(ConfigWarning::toString).toList();
  }

  @Test
  void aBrokenFileReportsEveryProblemWithItsLineColumnAndKeyPath() throws Exception {
    String yaml;
    try (InputStream in = getClass().getResourceAsStream("several-problems.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(problems(yaml)).containsExactly(
        "store.yaml:5:3: store.colour: unknown key (expected one of: id, gatewayId, currency, timezone)",
        "store.yaml:8:51: catalog[1].unitWeight: must be > 0 grams (got: -106.0)",
        "store.yaml:9:61: catalog[2].price: must be an integer (got: \"99\")",
        "store.yaml:15:24: shelves[0].lanes[1].sku: unknown sku (got: FANTA-330)",
        "store.yaml:16:15: shelves[0].lanes[2].id: duplicate lane id, first at shelves[0].lanes[0].id line 14 (got: a1)",
        "store.yaml:16:44: shelves[0].lanes[2].capacity: must be > 0 (got: 0)",
        "store.yaml:22:41: sync.brokers[1]: must be a broker URI with scheme tcp, ssl, mqtt, mqtts, ws or wss,"
            + " e.g. ssl://broker.example.com:8883 (got: \"http://broker.local:1883\")",
        "store.yaml:25:5: sync.credentials.password: inline passwords are not accepted:"
            + " put the password in a file and set sync.credentials.passwordFile",
        "store.yaml:27:13: sync.tls.caFile: file not found: " + dir.resolve("secrets/missing-ca.pem")
            + " (got: secrets/missing-ca.pem)");
  }

  @Test
  void aProductTooLightForAWeightLaneIsAProblemWhereTheLanePlacesIt() {
    assertThat(problems(Stores.MINIMAL.replace("unitWeight: 180", "unitWeight: 3"))).containsExactly(
        "store.yaml:8:24: shelves[0].lanes[0].sku: one unit weighs 3.0 g; a weight lane cannot tell one unit of less"
            + " than 6.0 g taken or put back from noise, so such picks would go uncharged: place a pack of several"
            + " instead (got: A)");
    // in the catalog only (sold elsewhere), a light product is fine
    String yaml = Stores.MINIMAL.replace("price: 59 }", "price: 59 }\n  - { sku: GUM, name: Gum stick, unitWeight: 3, price: 20 }");
    assertThat(catchThrowableOfType(ConfigException.class, () -> loader.parse("store.yaml", yaml, dir))).isNull();
  }

  @Test
  void staffTokenPrefixesAreReadAndABlankOneIsAProblem() throws Exception {
    StoreConfig c = loader.parse("store.yaml", Stores.MINIMAL + "checkout: { staffTokenPrefixes: [ staff-, crew- ] }\n", dir);
    assertThat(c.checkout().staffTokenPrefixes()).containsExactly("staff-", "crew-");
    assertThat(c.checkout().isStaff("crew-7")).isTrue();
    assertThat(c.checkout().isStaff("cust-7")).isFalse();
    assertThat(loader.parse("store.yaml", Stores.MINIMAL, dir).checkout().isStaff("staff-1")).isFalse();
    assertThat(problems(Stores.MINIMAL + "checkout: { staffTokenPrefixes: [ \"  \" ] }\n")).containsExactly(
        "store.yaml:13:35: checkout.staffTokenPrefixes[0]: must not be blank (got: \"  \")");
  }

  @Test
  void problemsCarryTheirLocationAsData() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> loader.parse("s.yaml", Stores.MINIMAL.replace("capacity: 5", "capacity: -2"), dir));
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.location()).isEqualTo(new Location("s.yaml", 8, 37));
      assertThat(p.keyPath()).isEqualTo("shelves[0].lanes[0].capacity");
      assertThat(p.message()).isEqualTo("must be > 0 (got: -2)");
    });
  }

  @Test
  void warningsArePrintedWithTheProblemsInFileOrder() {
    ConfigException e = new ConfigException(
        List.of(new ConfigProblem(new Location("s.yaml", 3, 5), "a.b", "bad"),
            new ConfigProblem(new Location("s.yaml", 9, 1), "c", "worse")),
        List.of(new ConfigWarning(new Location("s.yaml", 3, 5), "a.b", "odd"),
            new ConfigWarning(new Location("s.yaml", 7, 2), "d[0]", "odder"),
            new ConfigWarning(new Location("s.yaml", 12, 1), "", "oddest")));
    assertThat(e.lines()).containsExactly(
        "s.yaml:3:5: a.b: bad",
        "s.yaml:3:5: a.b: warning: odd",
        "s.yaml:7:2: d[0]: warning: odder",
        "s.yaml:9:1: c: worse",
        "s.yaml:12:1: warning: oddest");
    assertThat(e.getMessage()).isEqualTo(String.join("\n", e.lines()));
    assertThat(e.problems()).hasSize(2);
    assertThat(e.warnings()).hasSize(3);
    // without warnings, the problems as given
    assertThat(new ConfigException(List.of(new ConfigProblem(new Location("s.yaml", 9, 1), "c", "worse"),
        new ConfigProblem(new Location("s.yaml", 3, 5), "a.b", "bad"))).lines())
        .containsExactly("s.yaml:9:1: c: worse", "s.yaml:3:5: a.b: bad");
  }

  @Test
  void syntaxErrorsAreLocatedProblems() {
    assertThat(problems("store:\n  id: a\n    gatewayId: b\n")).containsExactly(
        "store.yaml:3:14: YAML syntax error: mapping values are not allowed here");
    assertThat(problems("store: { id: a, gatewayId: b\ncatalog: []\n")).singleElement()
        .satisfies(p -> assertThat(p).startsWith("store.yaml:2:8: YAML syntax error: "));
    assertThat(problems("store: [a, b\n")).singleElement()
        .satisfies(p -> assertThat(p).startsWith("store.yaml:2:1: YAML syntax error: "));
    assertThat(problems("a: 1\n---\nb: 2\n")).singleElement()
        .satisfies(p -> assertThat(p).startsWith("store.yaml:2:1: YAML syntax error: but found another document"));
  }

  @Test
  void emptyAndCommentOnlyFilesAreProblems() {
    String expected = "store.yaml:1:1: the file is empty; a store file needs the sections store, catalog, shelves, devices, gates";
    assertThat(problems("")).containsExactly(expected);
    assertThat(problems("# nothing here\n\n")).containsExactly(expected);
  }

  @Test
  void missingFileAndDirectoryAreProblemsNotIoErrors() {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> loader.load(missing)).isInstanceOf(ConfigException.class)
        .hasMessage(missing + ":0:0: file not found: " + missing.toAbsolutePath());
    assertThatThrownBy(() -> loader.load(dir)).isInstanceOf(ConfigException.class)
        .hasMessage(dir + ":0:0: is a directory, not a store file");
  }

  @Test
  void invalidUtf8IsAProblem() throws Exception {
    Path f = dir.resolve("latin1.yaml");
    Files.write(f, new byte[] {'s', 't', 'o', 'r', 'e', ':', ' ', (byte) 0xE9, '\n'});
    assertThatThrownBy(() -> loader.load(f)).isInstanceOf(ConfigException.class)
        .hasMessage(f + ":0:0: is not valid UTF-8 text");
  }

  @Test
  void duplicateKeysAreProblemsAtTheSecondKey() {
    String yaml = Stores.MINIMAL.replace("store: { id: s1, gatewayId: g1 }", "store:\n  id: s1\n  gatewayId: g1\n  id: s2");
    assertThat(problems(yaml)).containsExactly("store.yaml:4:3: store.id: duplicate key (first at line 2)");
    assertThat(problems(Stores.MINIMAL.replace("type: fake }", "type: fake, settings: { a: 1, a: 2 } }")))
        .containsExactly("store.yaml:10:45: devices[0].settings.a: duplicate key (first at line 10)");
  }

  @Test
  void theTopLevelMustBeAMapWithTheRequiredSections() {
    assertThat(problems("- store\n- catalog\n")).containsExactly(
        "store.yaml:1:1: a store file must be a map with keys store, catalog, shelves, devices, gates, sync, storage, cameras, checkout (got: a list)");
    assertThat(problems("stores: {}\n")).containsExactly(
        "store.yaml:1:1: stores: unknown key (expected one of: store, catalog, shelves, devices, gates, sync, storage, cameras, checkout)",
        "store.yaml:1:1: store: is required",
        "store.yaml:1:1: catalog: is required",
        "store.yaml:1:1: shelves: is required",
        "store.yaml:1:1: devices: is required",
        "store.yaml:1:1: gates: is required");
  }

  @Test
  void wrongTypesAreLocatedProblems() {
    assertThat(problems(Stores.MINIMAL.replace("price: 59", "price: 0.59"))).containsExactly(
        "store.yaml:3:52: catalog[0].price: must be a whole number (got: 0.59)");
    assertThat(problems(Stores.MINIMAL.replace("unitWeight: 180", "unitWeight: [180]"))).containsExactly(
        "store.yaml:3:40: catalog[0].unitWeight: must be a number (got: a list)");
    assertThat(problems(Stores.MINIMAL.replace("position: { x: 1, y: 2 }", "position: [1, 2]"))).containsExactly(
        "store.yaml:8:62: shelves[0].lanes[0].position: must be a map with keys x, y (got: a list)");
    assertThat(problems(Stores.MINIMAL.replace("name: Apple", "name: { en: Apple }"))).containsExactly(
        "store.yaml:3:21: catalog[0].name: must be a string (got: a map)");
    assertThat(problems(Stores.MINIMAL.replace("catalog:\n  - { sku: A, name: Apple, unitWeight: 180, price: 59 }",
        "catalog: { sku: A }"))).contains("store.yaml:2:10: catalog: must be a list (got: a map)");
    assertThat(problems(Stores.MINIMAL.replace("x: 1, y: 2", "x: 1"))).containsExactly(
        "store.yaml:8:62: shelves[0].lanes[0].position.y: is required");
    assertThat(problems(Stores.MINIMAL.replace("x: 1, y: 2", "x: .nan, y: 2"))).containsExactly(
        "store.yaml:8:67: shelves[0].lanes[0].position.x: must be a finite number (got: .nan)");
    assertThat(problems(Stores.MINIMAL.replace("sku: A, name", "sku: , name"))).containsExactly(
        "store.yaml:3:7: catalog[0].sku: must have a value",
        "store.yaml:8:24: shelves[0].lanes[0].sku: unknown sku (got: A)");
  }

  @Test
  void storeIdentityIsChecked() {
    assertThat(problems(Stores.MINIMAL.replace("{ id: s1, gatewayId: g1 }",
        "{ id: \"s 1\", gatewayId: g/1, currency: eur, timezone: Mars/Olympus }"))).containsExactly(
        "store.yaml:1:14: store.id: must match [A-Za-z0-9._-]+ (got: \"s 1\")",
        "store.yaml:1:32: store.gatewayId: must match [A-Za-z0-9._-]+ (got: g/1)",
        "store.yaml:1:47: store.currency: must be an ISO 4217 code of 3 upper-case letters such as EUR (got: eur)",
        "store.yaml:1:62: store.timezone: is not a known time zone id such as UTC or Europe/Berlin (got: Mars/Olympus)");
    assertThat(problems(Stores.MINIMAL.replace("gatewayId: g1 }", "gatewayId: g1, currency: XYZ }"))).containsExactly(
        "store.yaml:1:43: store.currency: is not an ISO 4217 currency code (got: XYZ)");
  }

  @Test
  void catalogRulesAreChecked() {
    assertThat(problems(Stores.MINIMAL.replace("price: 59 }", "price: 59, currency: USD }\n  - { sku: A, name: Pear, unitWeight: 1, weightSpread: -1, price: -5 }")))
        .containsExactly(
            "store.yaml:3:66: catalog[0].currency: must equal store.currency EUR (one currency per store) (got: USD)",
            "store.yaml:4:12: catalog[1].sku: duplicate sku, first at catalog[0].sku line 3 (got: A)",
            "store.yaml:4:56: catalog[1].weightSpread: must be >= 0 grams (got: -1)",
            "store.yaml:4:67: catalog[1].price: must be >= 0 (got: -5)");
    assertThat(problems(Stores.MINIMAL.replace("unitWeight: 180, price: 59 }", "unitWeight: 9.38, weightSpread: 45, price: 59 }")))
        .containsExactly("store.yaml:3:60: catalog[0].weightSpread: must be less than unitWeight (9.38 g): units varying"
            + " by as much as they weigh cannot be counted by weight (grams and kilograms mixed up?) (got: 45)");
    assertThat(problems(Stores.MINIMAL.replace("catalog:\n  - { sku: A, name: Apple, unitWeight: 180, price: 59 }", "catalog: []")))
        .contains("store.yaml:2:10: catalog: must list at least 1 product (got: a list)");
  }

  @Test
  void laneRulesAreChecked() {
    String twoShelves = Stores.MINIMAL.replace("devices:", """
          - { id: l2, sku: A, capacity: 5, initialStock: 6, channel: 1, position: { x: 1, y: 3 } }
      - id: sh2
        device: d1
        lanes:
          - { id: l3, sku: A, capacity: 5, channel: 0, position: { x: 1, y: 2 } }
      - id: sh3
        device: d2
        lanes: []
      - id: sh
        device: d1
        lanes:
          - { id: l4, sku: A, capacity: 5, channel: 0x1, initialStock: -1, position: { x: 1, y: 2 } }
    devices:""");
    assertThat(problems(twoShelves)).containsExactly(
        "store.yaml:9:54: shelves[0].lanes[1].initialStock: must be between 0 and capacity 5 (got: 6)",
        "store.yaml:13:49: shelves[1].lanes[0].channel: duplicate channel on this device, first at shelves[0].lanes[0].channel line 8 (got: 0)",
        "store.yaml:15:13: shelves[2].device: unknown device; devices are: d1 (got: d2)",
        "store.yaml:16:12: shelves[2].lanes: must list at least 1 lane (got: a list)",
        "store.yaml:17:9: shelves[3].id: duplicate shelf id, first at shelves[0].id line 5 (got: sh)",
        "store.yaml:20:68: shelves[3].lanes[0].initialStock: must be between 0 and capacity 5 (got: -1)");
  }

  private static final String SAME_SPOT = "lanes of one shelf less than 0.05 m apart cannot be told apart by where a"
      + " shopper stood; a copied position? (lanes of stacked shelves sharing a floor spot belong to separate shelves)";

  @Test
  void twoLanesOfOneShelfAtTheSameSpotAreAWarningOnTheSecondLanesPositionAndTheStoreLoads() throws Exception {
    String yaml = Stores.MINIMAL.replace("""
              - { id: l1, sku: A, capacity: 5, channel: 0, position: { x: 1, y: 2 } }
        """, """
              - { id: l1, sku: A, capacity: 5, channel: 0, position: { x: 1, y: 2 } }
              - { id: l2, sku: A, capacity: 5, channel: 1, position: { x: 1.03, y: 2 } }
              - { id: l3, sku: A, capacity: 5, channel: 2, position: { x: 1, y: 2.5 } }
        """);
    assertThat(warnings(yaml)).containsExactly(
        "store.yaml:9:62: shelves[0].lanes[1].position: warning: 0.03 m from lane l1 of the same shelf"
            + " (shelves[0].lanes[0].position line 8): " + SAME_SPOT);
    assertThat(loader.warnings()).singleElement().satisfies(w -> {
      assertThat(w.location()).isEqualTo(new Location("store.yaml", 9, 62));
      assertThat(w.keyPath()).isEqualTo("shelves[0].lanes[1].position");
    });
    assertThat(loader.parse("store.yaml", yaml, dir).lanes()).extracting(StoreConfig.Lane::id)
        .containsExactly("l1", "l2", "l3");
    // the next load starts afresh
    loader.parse("store.yaml", Stores.MINIMAL, dir);
    assertThat(loader.warnings()).isEmpty();
  }

  @Test
  void twoLanesOfOneShelfAtTheSameSpotAreAWarningPrintedWithTheProblemsOfTheStore() {
    String yaml = Stores.MINIMAL.replace("""
              - { id: l1, sku: A, capacity: 5, channel: 0, position: { x: 1, y: 2 } }
        """, """
              - { id: l1, sku: A, capacity: 5, channel: 0, position: { x: 1, y: 2 } }
              - { id: l2, sku: A, capacity: 5, channel: 1, position: { x: 1, y: 2.5 } }
              - { id: l2, sku: NOPE, capacity: 0, channel: 2, position: { x: 1.03, y: 2 } }
              - { id: l4, sku: A, capacity: 5, channel: 3, position: { x: 1, y: 2.5 } }
          - id: fridge-top
            device: d1
            lanes:
              - { id: t1, sku: A, capacity: 5, channel: 4, position: { x: 1, y: 2 } }
              - { id: t2, sku: A, capacity: 5, channel: 5, position: { x: 1, y: 2.5 } }
        """);
    // the third lane's own problems do not keep it from counting where it stands, and the lanes of
    // the shelf above, at the same spots, are no warning
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("store.yaml", yaml, dir));
    assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
        "store.yaml:10:15: shelves[0].lanes[2].id: duplicate lane id, first at shelves[0].lanes[1].id line 9 (got: l2)",
        "store.yaml:10:24: shelves[0].lanes[2].sku: unknown sku (got: NOPE)",
        "store.yaml:10:40: shelves[0].lanes[2].capacity: must be > 0 (got: 0)");
    assertThat(e.warnings()).extracting(ConfigWarning::toString).containsExactly(
        "store.yaml:10:65: shelves[0].lanes[2].position: warning: 0.03 m from lane l1 of the same shelf"
            + " (shelves[0].lanes[0].position line 8): " + SAME_SPOT,
        "store.yaml:11:62: shelves[0].lanes[3].position: warning: 0.00 m from lane l2 of the same shelf"
            + " (shelves[0].lanes[1].position line 9): " + SAME_SPOT);
    assertThat(loader.warnings()).isEqualTo(e.warnings());
    assertThat(e.lines()).containsExactly(
        "store.yaml:10:15: shelves[0].lanes[2].id: duplicate lane id, first at shelves[0].lanes[1].id line 9 (got: l2)",
        "store.yaml:10:24: shelves[0].lanes[2].sku: unknown sku (got: NOPE)",
        "store.yaml:10:40: shelves[0].lanes[2].capacity: must be > 0 (got: 0)",
        "store.yaml:10:65: shelves[0].lanes[2].position: warning: 0.03 m from lane l1 of the same shelf"
            + " (shelves[0].lanes[0].position line 8): " + SAME_SPOT,
        "store.yaml:11:62: shelves[0].lanes[3].position: warning: 0.00 m from lane l2 of the same shelf"
            + " (shelves[0].lanes[1].position line 9): " + SAME_SPOT);
  }

  @Test
  void lanesOfStackedShelvesMayShareTheirFloorSpots() throws Exception {
    // a fridge of three shelves, one above the other, each read by its own cells
    String yaml = Stores.MINIMAL.replace("""
          - id: sh
            device: d1
            lanes:
              - { id: l1, sku: A, capacity: 5, channel: 0, position: { x: 1, y: 2 } }
        """, """
          - id: fridge-top
            device: d1
            lanes:
              - { id: t1, sku: A, capacity: 5, channel: 0, position: { x: 1, y: 2 } }
              - { id: t2, sku: A, capacity: 5, channel: 1, position: { x: 1, y: 2.4 } }
          - id: fridge-middle
            device: d1
            lanes:
              - { id: m1, sku: A, capacity: 5, channel: 2, position: { x: 1, y: 2 } }
              - { id: m2, sku: A, capacity: 5, channel: 3, position: { x: 1, y: 2.4 } }
          - id: fridge-bottom
            device: d1
            lanes:
              - { id: b1, sku: A, capacity: 5, channel: 4, position: { x: 1.01, y: 2 } }
              - { id: b2, sku: A, capacity: 5, channel: 5, position: { x: 1, y: 2.4 } }
        """);
    assertThat(loader.parse("store.yaml", yaml, dir).lanes()).hasSize(6);
    assertThat(loader.warnings()).isEmpty();
    // lanes of one shelf a hand's width apart are fine
    assertThat(loader.parse("store.yaml", Stores.MINIMAL.replace("""
              - { id: l1, sku: A, capacity: 5, channel: 0, position: { x: 1, y: 2 } }
        """, """
              - { id: l1, sku: A, capacity: 5, channel: 0, position: { x: 1, y: 2 } }
              - { id: l2, sku: A, capacity: 5, channel: 1, position: { x: 1, y: 2.08 } }
        """), dir).lanes()).hasSize(2);
    assertThat(loader.warnings()).isEmpty();
  }

  @Test
  void channelsMayRepeatAcrossDevicesAndNumbersAreKeptAsWritten() throws Exception {
    String yaml = Stores.MINIMAL.replace("devices:", """
      - id: sh2
        device: d2
        lanes:
          - { id: l2, sku: A, capacity: 5, channel: 0, position: { x: 1, y: 2 } }
          - { id: l3, sku: A, capacity: 5, channel: 007, position: { x: 1, y: 3 } }
    devices:
      - { id: d2, type: fake }""");
    StoreConfig c = loader.parse("store.yaml", yaml, dir);
    assertThat(c.lanes()).extracting(StoreConfig.Lane::channel).containsExactly("0", "0", "007");
  }

  @Test
  void devicesAndGatesAreChecked() {
    String yaml = Stores.MINIMAL
        .replace("  - { id: d1, type: fake }", "  - { id: d1, type: fake }\n  - { id: d1, settings: [1] }")
        .replace("  - { id: g, position: { x: 0, y: 0 } }",
            "  - { id: g, position: { x: 0, y: 0 }, device: door }\n  - { id: g, position: { x: 0, y: 0 } }\n  - { id: h }");
    assertThat(problems(yaml)).containsExactly(
        "store.yaml:11:5: devices[1].type: is required",
        "store.yaml:11:11: devices[1].id: duplicate device id, first at devices[0].id line 10 (got: d1)",
        "store.yaml:11:25: devices[1].settings: must be a map (got: a list)",
        "store.yaml:13:48: gates[0].device: unknown device; devices are: d1 (got: door)",
        "store.yaml:14:11: gates[1].id: duplicate gate id, first at gates[0].id line 13 (got: g)",
        "store.yaml:15:5: gates[2].position: is required");
  }

  private static final String ON_A_SHELF = "a gate less than 0.5 m from a lane stands on its shelf or where shoppers"
      + " stand to take from it, so shoppers checking in would look like shoppers taking from the lane";

  @Test
  void aGateOnAShelfIsAWarningOnItsPositionNamingTheNearestLaneAndTheStoreLoads() throws Exception {
    String yaml = Stores.MINIMAL.replace("  - { id: g, position: { x: 0, y: 0 } }", "  - { id: g, position: { x: 1.2, y: 2.1 } }");
    assertThat(warnings(yaml)).containsExactly(
        "store.yaml:12:24: gates[0].position: warning: 0.22 m from lane l1 (at 1.0, 2.0): " + ON_A_SHELF);
    assertThat(loader.parse("store.yaml", yaml, dir).gates()).singleElement()
        .satisfies(g -> assertThat(g.position()).isEqualTo(new StoreConfig.Position(1.2, 2.1)));
  }

  @Test
  void aGateOnAShelfIsAWarningPrintedWithTheProblemsOfTheStore() {
    String yaml = Stores.MINIMAL
        .replace("devices:", """
              - id: sh2
                device: d9
                lanes:
                  - { id: m1, sku: NOPE, capacity: 5, channel: 0, position: { x: 4, y: 2 } }
            devices:""")
        .replace("  - { id: g, position: { x: 0, y: 0 } }\n", """
              - { id: g, position: { x: 0, y: 0 } }
              - { id: g, position: { x: 1.2, y: 2.1 }, device: door }
              - { id: h, position: { x: 3.7, y: 2 } }
              - { id: k, position: { x: 2.5, y: 2 } }
            """);
    // a gate with problems of its own is still checked, and so is a lane of a shelf with problems
    assertThat(problems(yaml)).containsExactly(
        "store.yaml:10:13: shelves[1].device: unknown device; devices are: d1 (got: d9)",
        "store.yaml:12:24: shelves[1].lanes[0].sku: unknown sku (got: NOPE)",
        "store.yaml:17:11: gates[1].id: duplicate gate id, first at gates[0].id line 16 (got: g)",
        "store.yaml:17:52: gates[1].device: unknown device; devices are: d1 (got: door)");
    assertThat(loader.warnings()).extracting(ConfigWarning::toString).containsExactly(
        "store.yaml:17:24: gates[1].position: warning: 0.22 m from lane l1 (at 1.0, 2.0): " + ON_A_SHELF,
        "store.yaml:18:24: gates[2].position: warning: 0.30 m from lane m1 (at 4.0, 2.0): " + ON_A_SHELF);
  }

  @Test
  void aWallShelfGivenAFacingIntoTheWallIsAWarningOnItsFacing() throws Exception {
    // shelves along the west (x = 0.5) and east (x = 4.5) walls, the door on the south side
    String yaml = """
        store: { id: s1, gatewayId: g1 }
        catalog:
          - { sku: A, name: Apple, unitWeight: 180, price: 59 }
        shelves:
          - id: west
            device: d1
            facing: -x
            lanes:
              - { id: w1, sku: A, capacity: 5, channel: 0, position: { x: 0.5, y: 2 } }
              - { id: w2, sku: A, capacity: 5, channel: 1, position: { x: 0.5, y: 2.5 } }
          - id: east
            device: d1
            facing: -x
            lanes:
              - { id: e1, sku: A, capacity: 5, channel: 2, position: { x: 4.5, y: 2 } }
              - { id: e2, sku: A, capacity: 5, channel: 3, position: { x: 4.5, y: 2.5 } }
        devices:
          - { id: d1, type: fake }
        gates:
          - { id: g, position: { x: 2.5, y: 0 } }
        """;
    assertThat(warnings(yaml)).containsExactly("store.yaml:7:13: shelves[0].facing: warning: shoppers taking from this "
        + "shelf would stand 0.5 m out of its front, outside the floor the store's lanes and gates span (x 0.50 to 4.50, "
        + "y 0.00 to 2.50), while behind it is inside: give the direction shoppers face the shelf from (a wall shelf "
        + "faces into the store)");
    // the east wall faces into the store; an island's faces, back to back, both stand inside
    assertThat(warnings(yaml.replace("facing: -x\n    lanes:\n      - { id: w1", "facing: +x\n    lanes:\n      - { id: w1")))
        .isEmpty();
  }

  @Test
  void aGateBesideTheEndOfAShelfIsFine() throws Exception {
    // the door right past the end of the shelf, 0.6 m from its nearest lane
    String yaml = Stores.MINIMAL.replace("  - { id: g, position: { x: 0, y: 0 } }", "  - { id: g, position: { x: 1, y: 1.4 } }");
    assertThat(loader.parse("store.yaml", yaml, dir).gates()).singleElement()
        .satisfies(g -> assertThat(g.position()).isEqualTo(new StoreConfig.Position(1, 1.4)));
    assertThat(loader.warnings()).isEmpty();
  }

  @Test
  void deviceValidatorProblemsAreMergedInFileOrder() {
    AtomicInteger calls = new AtomicInteger();
    StoreConfigLoader strict = new StoreConfigLoader(d -> {
      calls.incrementAndGet();
      return d.settings().get("rate").isPresent() ? List.of(d.settings().problem("rate", "must be 10 or 80 (got: 12)")) : List.of();
    });
    String yaml = Stores.MINIMAL.replace("type: fake }", "type: fake, settings: { rate: 12 } }")
        .replace("capacity: 5", "capacity: 0");
    assertThat(problems(strict, yaml)).containsExactly(
        "store.yaml:8:37: shelves[0].lanes[0].capacity: must be > 0 (got: 0)",
        "store.yaml:10:45: devices[0].settings.rate: must be 10 or 80 (got: 12)");
    assertThat(calls).hasValue(1);
  }

  /** Reports each lane on a device whose full stock reaches the device's {@code maxGrams} setting. */
  private static final class LoadValidator implements DeviceSettingsValidator {
    final List<String> lanesSeen = new java.util.ArrayList<>();

    @Override
    public List<ConfigProblem> validate(StoreConfig.Device device) {
      return device.settings().get("maxGrams").filter(v -> !(v instanceof Number))
          .map(v -> List.of(device.settings().problem("maxGrams", "must be a number")))
          .orElse(List.of());
    }

    @Override
    public List<ConfigProblem> validateInStore(StoreConfig.Device device, StoreConfig store) {
      double max = device.settings().get("maxGrams").map(v -> ((Number) v).doubleValue()).orElse(Double.MAX_VALUE);
      List<ConfigProblem> out = new java.util.ArrayList<>();
      store.shelves().stream().filter(sh -> sh.device().equals(device.id())).flatMap(sh -> sh.lanes().stream())
          .forEach(l -> {
            lanesSeen.add(l.id());
            double full = l.capacity() * store.product(l.sku()).orElseThrow().unitWeightGrams();
            if (full >= max) {
              out.add(device.settings().problem("maxGrams", "lane " + l.id() + " reaches " + full + " g"));
            }
          });
      return out;
    }
  }

  @Test
  void devicesAreCheckedAgainstTheirUsableLanesWhileOtherProblemsAreReported() {
    String yaml = Stores.MINIMAL
        .replace("  - { sku: A, name: Apple, unitWeight: 180, price: 59 }",
            "  - { sku: A, name: Apple, unitWeight: 180, price: 59 }\n  - { sku: B, name: Bean, unitWeight: 4, price: 5 }")
        .replace("      - { id: l1, sku: A, capacity: 5, channel: 0, position: { x: 1, y: 2 } }\n", """
                  - { id: l1, sku: A, capacity: 5, channel: 0, position: { x: 1, y: 2 } }
                  - { id: l2, sku: A, capacity: 9, channel: 0, position: { x: 1, y: 3 } }
                  - { id: l3, sku: B, capacity: 50, channel: 2, position: { x: 1, y: 4 } }
                  - { id: l4, sku: A, capacity: 0, channel: 3, position: { x: 1, y: 5 } }
                  - { id: l5, sku: NOPE, capacity: 9, channel: 4, position: { x: 1, y: 6 } }
            """)
        .replace("  - { id: d1, type: fake }", "  - { id: d1, type: fake, settings: { maxGrams: 1000 } }\n"
            + "  - { id: d2, type: fake, settings: { maxGrams: many } }");
    LoadValidator v = new LoadValidator();
    assertThat(problems(new StoreConfigLoader(v), yaml)).containsExactly(
        "store.yaml:10:49: shelves[0].lanes[1].channel: duplicate channel on this device, first at"
            + " shelves[0].lanes[0].channel line 9 (got: 0)",
        "store.yaml:11:24: shelves[0].lanes[2].sku: one unit weighs 4.0 g; a weight lane cannot tell one unit of less"
            + " than 6.0 g taken or put back from noise, so such picks would go uncharged: place a pack of several"
            + " instead (got: B)",
        "store.yaml:12:37: shelves[0].lanes[3].capacity: must be > 0 (got: 0)",
        "store.yaml:13:24: shelves[0].lanes[4].sku: unknown sku (got: NOPE)",
        "store.yaml:15:49: devices[0].settings.maxGrams: lane l2 reaches 1620.0 g",
        "store.yaml:16:49: devices[1].settings.maxGrams: must be a number");
    // the lanes with a product and a capacity, duplicate channel or too light or not, were weighed
    assertThat(v.lanesSeen).containsExactly("l1", "l2", "l3");
  }

  @Test
  void aFailingValidatorIsAProblemNotACrash() {
    StoreConfigLoader broken = new StoreConfigLoader(d -> {
      throw new IllegalStateException("boom");
    });
    assertThat(problems(broken, Stores.MINIMAL)).containsExactly(
        "store.yaml:10:21: devices[0].settings: the settings of device type fake could not be checked: java.lang.IllegalStateException: boom");
  }

  @Test
  void syncRulesAreChecked() throws Exception {
    Files.createDirectories(dir.resolve("s"));
    Files.writeString(dir.resolve("s/cert.pem"), "x");
    Files.writeString(dir.resolve("s/ks.pw"), "x");
    String yaml = Stores.MINIMAL + """
        sync:
          brokers: [ "tcp:/x", "ssl://user:pw@h:8883", "mqtt://h:70000", "tcp://h:1883", "tcp://h:1883", "not a uri" ]
          clientId: "gw 1"
          topicRoot: /stores/+/
          keepAliveSeconds: 0
          sessionExpirySeconds: -1
          tls: { certFile: s/cert.pem, keyStorePasswordFile: s/ks.pw, caFile: s }
          credentials: { username: u, passwordFile: s/none.pw }
        """;
    assertThat(problems(yaml)).containsExactly(
        "store.yaml:14:14: sync.brokers[0]: must name a host, e.g. tcp://broker.example.com (got: \"tcp:/x\")",
        "store.yaml:14:24: sync.brokers[1]: must not carry credentials; use sync.credentials (got: \"ssl://user:pw@h:8883\")",
        "store.yaml:14:48: sync.brokers[2]: port must be between 1 and 65535 (got: \"mqtt://h:70000\")",
        "store.yaml:14:82: sync.brokers[4]: duplicate broker, first at sync.brokers[3] line 14 (got: \"tcp://h:1883\")",
        "store.yaml:14:98: sync.brokers[5]: is not a valid URI: Illegal character in path (got: \"not a uri\")",
        "store.yaml:15:13: sync.clientId: must match [A-Za-z0-9._-]+ (got: \"gw 1\")",
        "store.yaml:16:14: sync.topicRoot: must not contain the MQTT wildcards + or # (got: /stores/+/)",
        "store.yaml:17:21: sync.keepAliveSeconds: must be between 1 and 3600 seconds (got: 0)",
        "store.yaml:18:25: sync.sessionExpirySeconds: must be between 0 and 4294967295 seconds (got: -1)",
        "store.yaml:19:20: sync.tls.certFile: certFile needs keyFile (the client certificate's private key)",
        "store.yaml:19:54: sync.tls.keyStorePasswordFile: keyStorePasswordFile needs keyStore",
        "store.yaml:19:71: sync.tls.caFile: is not a regular file: " + dir.resolve("s") + " (got: s)",
        "store.yaml:20:45: sync.credentials.passwordFile: file not found: " + dir.resolve("s/none.pw") + " (got: s/none.pw)");
  }

  @Test
  void topicRootShapeIsChecked() {
    assertThat(problems(Stores.MINIMAL + "sync: { topicRoot: a//b }\n")).containsExactly(
        "store.yaml:13:20: sync.topicRoot: must not contain an empty topic level (//) (got: a//b)");
    assertThat(problems(Stores.MINIMAL + "sync: { topicRoot: shop/ }\n")).containsExactly(
        "store.yaml:13:20: sync.topicRoot: must not start or end with / (got: shop/)");
  }

  @Test
  void storageSizesAreChecked() {
    assertThat(problems(Stores.MINIMAL + "storage: { maxBytes: 10KiB }\n")).containsExactly(
        "store.yaml:13:22: storage.maxBytes: must be at least 1MiB (1048576 bytes) (got: 10KiB)");
    assertThat(problems(Stores.MINIMAL + "storage: { maxBytes: lots }\n")).containsExactly(
        "store.yaml:13:22: storage.maxBytes: must be a size in bytes or a number with B, kB, KB, MB, GB, TB, KiB, MiB, GiB or TiB (got: lots)");
    assertThat(problems(Stores.MINIMAL + "storage: { maxBytes: 99999999999TiB }\n")).containsExactly(
        "store.yaml:13:22: storage.maxBytes: is too large (got: 99999999999TiB)");
    assertThat(problems(Stores.MINIMAL + "storage: { maxBytes: { size: 1 } }\n")).containsExactly(
        "store.yaml:13:22: storage.maxBytes: must be a size such as 512MiB (got: a map)");
    assertThat(problems(Stores.MINIMAL + "storage: { maxBytes: 1.5 }\n")).containsExactly(
        "store.yaml:13:22: storage.maxBytes: must be a size in bytes or a number with B, kB, KB, MB, GB, TB, KiB, MiB, GiB or TiB (got: 1.5)");
  }

  @Test
  void checkoutPolicyIsReadWithDefaults() throws Exception {
    assertThat(loader.parse("s.yaml", Stores.MINIMAL, dir).checkout()).isEqualTo(StoreConfig.Checkout.defaults());
    assertThat(StoreConfig.Checkout.defaults())
        .isEqualTo(new StoreConfig.Checkout(0.8, StoreConfig.HandOffPolicy.REVIEW));
    StoreConfig c = loader.parse("s.yaml", Stores.MINIMAL + "checkout: { reviewThreshold: 0.9, handOffs: taker-pays }\n", dir);
    assertThat(c.checkout()).isEqualTo(new StoreConfig.Checkout(0.9, StoreConfig.HandOffPolicy.TAKER_PAYS));
    assertThat(c.withStorage(c.storage()).checkout()).isEqualTo(c.checkout());
    StoreConfig h = loader.parse("s.yaml", Stores.MINIMAL + "checkout: { handHitRate: 0.97, handFalseRate: 0.01 }\n", dir);
    assertThat(h.checkout().handHitRate()).isEqualTo(0.97);
    assertThat(h.checkout().handFalseRate()).isEqualTo(0.01);
    assertThat(c.checkout().handHitRate()).isEqualTo(StoreConfig.Checkout.DEFAULT_HAND_HIT_RATE);
    assertThat(h.checkout().handContactPrecision()).isEqualTo(StoreConfig.Checkout.DEFAULT_HAND_CONTACT_PRECISION);
    assertThat(loader.parse("s.yaml", Stores.MINIMAL + "checkout: { handContactPrecision: 0.97 }\n", dir).checkout()
        .handContactPrecision()).isEqualTo(0.97);
    assertThat(loader.parse("s.yaml", Stores.MINIMAL + "checkout: { handOffs: review-meetings }\n", dir).checkout()
        .handOffs()).isEqualTo(StoreConfig.HandOffPolicy.REVIEW_MEETINGS);
  }

  @Test
  void checkoutPolicyProblemsAreReportedWithTheirPlace() {
    assertThat(problems(Stores.MINIMAL + "checkout: { reviewThreshold: 0.3, handOffs: giver-pays }\n")).containsExactly(
        "store.yaml:13:30: checkout.reviewThreshold: must be 0.5 to 0.99 (the probability below which a receipt line goes to review) (got: 0.3)",
        "store.yaml:13:45: checkout.handOffs: must be review, review-meetings or taker-pays (got: giver-pays)");
    assertThat(problems(Stores.MINIMAL + "checkout: { reviewThreshold: high, handoffs: review }\n")).containsExactly(
        "store.yaml:13:30: checkout.reviewThreshold: must be a number (got: high)",
        "store.yaml:13:36: checkout.handoffs: unknown key (expected one of: reviewThreshold, handOffs, staffTokenPrefixes, handHitRate, handFalseRate, handContactPrecision)");
    assertThat(problems(Stores.MINIMAL + "checkout: { handHitRate: 1, handFalseRate: 0 }\n")).containsExactly(
        "store.yaml:13:26: checkout.handHitRate: must be above 0 and below 1 (the share of takers' hands the cameras see in the lane) (got: 1)",
        "store.yaml:13:44: checkout.handFalseRate: must be above 0 and below 1 (the share of bystanders' hands seen in a lane they did not change) (got: 0)");
    assertThat(problems(Stores.MINIMAL + "checkout: { handHitRate: 0.6, handFalseRate: 0.7 }\n")).containsExactly(
        "store.yaml:13:46: checkout.handFalseRate: must be below handHitRate (0.6): a hand seen in a lane must say more about "
            + "the taker than about a bystander (got: 0.7)");
    assertThat(problems(Stores.MINIMAL + "checkout: { handContactPrecision: 1 }\n")).containsExactly(
        "store.yaml:13:35: checkout.handContactPrecision: must be above 0 and below 1 (the share of hand contacts "
            + "between a shopper holding items and one holding none that really passed an item over) (got: 1)");
  }

  @Test
  void recursiveAliasesInSettingsAreProblems() {
    String yaml = Stores.MINIMAL.replace("type: fake }", "type: fake, settings: { loop: &a [ *a ] } }");
    assertThat(problems(yaml)).singleElement().satisfies(p -> assertThat(p).contains("recursive aliases are not supported"));
  }
}
