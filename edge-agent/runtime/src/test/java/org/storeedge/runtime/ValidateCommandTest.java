package org.storeedge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  @TempDir
  Path dir;

  private final Cli cli = new Cli();

  @Test
  void theExampleStoreIsValid() {
    int code = cli.run("validate", Path.of("../../config/examples/demo-store.yaml").toString());
    assertThat(code).as(cli.err.toString()).isZero();
    assertThat(cli.out.toString()).isEqualTo(Path.of("../../config/examples/demo-store.yaml")
        + ": valid (store demo-001, gateway gw-01, 16 products, 16 lanes, 4 devices), no warnings" + System.lineSeparator());
    assertThat(cli.err.toString()).isEmpty();
  }

  @Test
  void everyProblemIsReportedWithItsLocationAndExitCodeTwo() throws Exception {
    String yaml = Files.readString(Path.of("../../config/examples/demo-store.yaml"))
        .replace("unitWeight: 352.0", "unitWeight: -352.0")
        .replace("{ id: a2, sku: ENRG-250,", "{ id: a2, sku: NO-SUCH-SKU,")
        .replace("type: simulated-shelf, settings: { sampleRateHz: 80, fullScaleGrams: 20000 } }\n  - { id: cells-b",
            "type: simulated-shelf, settings: { sampleRateHz: 80, fullScaleGrams: 20000, colour: red } }\n  - { id: cells-b")
        .replace("  timezone: Europe/Berlin", "  timezone: Europe/Berlin\n  flavour: vanilla");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, yaml);
    int code = cli.run("validate", bad.toString());
    assertThat(code).isEqualTo(2);
    String[] lines = cli.err.toString().strip().split("\n");
    assertThat(lines).hasSizeGreaterThanOrEqualTo(4);
    assertThat(lines).allMatch(l -> l.matches(".*bad\\.yaml:\\d+:\\d+: \\S+: .+"), "file:line:col: key: message");
    assertThat(cli.err.toString()).contains("store.flavour").contains("catalog[0].unitWeight").contains("NO-SUCH-SKU")
        .contains("colour");
  }

  @Test
  void everyExampleStoreIsValidWithTheRealDrivers() throws Exception {
    try (var files = Files.list(Path.of("../../config/examples"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
        cli.out.reset();
        cli.err.reset();
        assertThat(cli.run("validate", f.toString())).as("%s: %s", f, cli.err).isZero();
        assertThat(cli.err.toString()).as(f.toString()).isEmpty();
        assertThat(cli.out.toString()).as(f.toString()).endsWith("), no warnings" + System.lineSeparator());
      }
    }
  }

  @Test
  void cellsRatedBelowALanesFullStockAreAProblemOnTheirRating() throws Exception {
    // 24 one-litre juices (1,068 g, spread 8 g) on cells rated 20 kg saturate until a few are taken
    String yaml = Files.readString(Path.of("../../config/examples/demo-store.yaml"))
        .replace("{ id: a4, sku: OJ-1000,   capacity: 6, ", "{ id: a4, sku: OJ-1000,   capacity: 24,");
    Path heavy = dir.resolve("heavy.yaml");
    Files.writeString(heavy, yaml);
    assertThat(cli.run("validate", heavy.toString())).isEqualTo(2);
    assertThat(cli.err.toString().strip()).matches("(?s).*heavy\\.yaml:59:\\d+: devices\\[0\\]\\.settings\\.fullScaleGrams: "
        + "the cells saturate at 20000 g but lane a4 \\(24 x OJ-1000 of 1068 g: up to 26208 g\\) reaches that when full.*");
    // without a rating the simulated cells are chosen for the load (50 kg here) and the file is valid
    Path chosen = dir.resolve("chosen.yaml");
    Files.writeString(chosen, yaml.replace("{ id: cells-a, type: simulated-shelf, settings: { sampleRateHz: 80, fullScaleGrams: 20000 } }",
        "{ id: cells-a, type: simulated-shelf, settings: { sampleRateHz: 80 } }"));
    cli.err.reset();
    assertThat(cli.run("validate", chosen.toString())).as(cli.err.toString()).isZero();
  }

  @Test
  void problemsOfEveryKindAreReportedInOneRun() throws Exception {
    String example = Files.readString(Path.of("../../config/examples/island-aisle.yaml"));
    String yaml = example
        // (a) two lanes of the west wall on channel 0 of its device
        .replace("{ id: w2, sku: COLA-330,  capacity: 18, channel: \"1\",", "{ id: w2, sku: COLA-330,  capacity: 18, channel: \"0\",")
        // (b) gum lighter than a weight lane can see, placed on lane ie3
        .replace("unitWeight: 27.0,  weightSpread: 0.8", "unitWeight: 5.5,   weightSpread: 0.8")
        // (c) the two faces of the gondola turned towards each other
        .replace("  - id: island-w          # west face of the gondola: shoppers stand west of it\n",
            "  - id: island-w\n    facing: +x\n")
        .replace("  - id: island-e          # east face, back to back with island-w\n", "  - id: island-e\n    facing: -x\n")
        // (d) 5 kg cells under the east face, whose 12 waters weigh over 6 kg
        .replace("{ id: cells-ie, type: simulated-shelf, settings: { sampleRateHz: 80, fullScaleGrams: 20000 } }",
            "{ id: cells-ie, type: simulated-shelf, settings: { sampleRateHz: 80, fullScaleGrams: 5000 } }");
    assertThat(yaml).isNotEqualTo(example);
    Path bad = dir.resolve("store.yaml");
    Files.writeString(bad, yaml);
    String[] lines = yaml.split("\n", -1);

    int code = cli.run("validate", bad.toString());

    assertThat(code).isEqualTo(2);
    String err = cli.err.toString().strip();
    String b = java.util.regex.Pattern.quote(bad.toString());
    assertThat(err.split("\n")).allMatch(l -> l.matches(b + ":\\d+:\\d+: \\S+: .+"), "file:line:col: key: message");
    assertThat(err).matches("(?s).*" + b + ":" + lineOf(lines, "{ id: w2,") + ":\\d+: shelves\\[0\\]\\.lanes\\[1\\]\\.channel: "
        + "duplicate channel on this device.*");
    assertThat(err).matches("(?s).*" + b + ":" + lineOf(lines, "{ id: ie3,") + ":\\d+: shelves\\[2\\]\\.lanes\\[2\\]\\.sku: "
        + "one unit weighs 5\\.5 g.*");
    assertThat(err).matches("(?s).*" + b + ":" + lineOf(lines, "facing: +x") + ":13: shelves\\[1\\]\\.facing: faces lane ie1 "
        + "of another shelf.*");
    assertThat(err).matches("(?s).*" + b + ":" + lineOf(lines, "facing: -x") + ":13: shelves\\[2\\]\\.facing: faces lane iw1 "
        + "of another shelf.*");
    assertThat(err).matches("(?s).*" + b + ":" + lineOf(lines, "{ id: cells-ie,") + ":\\d+: devices\\[2\\]\\.settings\\."
        + "fullScaleGrams: the cells saturate at 5000 g but lane ie4 .*");
    assertThat(err.split("\n")).hasSize(5);
  }

  /** The island-aisle store with the east wall's last lane given the position of the lane above it (line 56). */
  private static String islandAisleWithACopiedLanePosition() throws Exception {
    String example = Files.readString(Path.of("../../config/examples/island-aisle.yaml"));
    String yaml = example.replace("{ id: e3, sku: SHAMP-250, capacity: 10, channel: \"2\", position: { x: 6.5, y: 2.0 } }",
        "{ id: e3, sku: SHAMP-250, capacity: 10, channel: \"2\", position: { x: 6.5, y: 1.5 } }");
    assertThat(yaml).isNotEqualTo(example);
    assertThat(lineOf(yaml.split("\n", -1), "{ id: e3,")).isEqualTo(56);
    return yaml;
  }

  private static final String COPIED_LANE = ":56:73: shelves[3].lanes[2].position: warning: 0.00 m from lane e2 of the same"
      + " shelf (shelves[3].lanes[1].position line 55): lanes of one shelf less than 0.05 m apart cannot be told apart by"
      + " where a shopper stood; a copied position? (lanes of stacked shelves sharing a floor spot belong to separate"
      + " shelves)";

  @Test
  void aStoreWithOnlyWarningsIsValidAndEachWarningIsPrintedWithItsLocation() throws Exception {
    // and the exit gate placed on the east wall (line 66)
    String yaml = islandAisleWithACopiedLanePosition()
        .replace("{ id: exit, position: { x: 5.0, y: 4.5 } }", "{ id: exit, position: { x: 6.2, y: 1.0 } }");
    assertThat(lineOf(yaml.split("\n", -1), "{ id: exit,")).isEqualTo(66);
    Path file = dir.resolve("store.yaml");
    Files.writeString(file, yaml);

    int code = cli.run("validate", file.toString());

    assertThat(code).as(cli.err.toString()).isZero();
    assertThat(cli.err.toString().split("\n")).containsExactly(
        file + COPIED_LANE,
        file + ":66:27: gates[1].position: warning: 0.30 m from lane e1 (at 6.5, 1.0): a gate less than 0.5 m from a"
            + " lane stands on its shelf or where shoppers stand to take from it, so shoppers checking in would look"
            + " like shoppers taking from the lane");
    assertThat(cli.out.toString()).isEqualTo(file + ": valid (store island-01, gateway gw-01, 14 products, 15 lanes,"
        + " 4 devices), 2 warnings" + System.lineSeparator());
  }

  @Test
  void warningsOfAStoreWithProblemsArePrintedAmongTheProblemsInFileOrder() throws Exception {
    // and the exit gate given a device that does not exist (line 66)
    String yaml = islandAisleWithACopiedLanePosition()
        .replace("{ id: exit, position: { x: 5.0, y: 4.5 } }", "{ id: exit, position: { x: 5.0, y: 4.5 }, device: door }");
    Path file = dir.resolve("store.yaml");
    Files.writeString(file, yaml);

    int code = cli.run("validate", file.toString());

    assertThat(code).isEqualTo(2);
    assertThat(cli.err.toString().split("\n")).containsExactly(
        file + COPIED_LANE,
        file + ":66:55: gates[1].device: unknown device; devices are: cells-ww, cells-iw, cells-ie, cells-we (got: door)");
    assertThat(cli.out.toString()).isEmpty();
  }

  /** The 1-based line of {@code lines} containing {@code text}. */
  private static int lineOf(String[] lines, String text) {
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line with " + text);
  }

  @Test
  void aMissingFileIsBadInput() {
    assertThat(cli.run("validate", dir.resolve("nope.yaml").toString())).isEqualTo(2);
    assertThat(cli.err.toString()).contains("nope.yaml");
  }

  @Test
  void anUnknownCommandIsBadInput() {
    assertThat(cli.run("frobnicate")).isEqualTo(2);
  }
}
