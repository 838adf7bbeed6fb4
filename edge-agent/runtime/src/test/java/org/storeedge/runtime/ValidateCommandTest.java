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
    assertThat(cli.out.toString()).contains("valid").contains("16 lanes");
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
        cli.err.reset();
        assertThat(cli.run("validate", f.toString())).as("%s: %s", f, cli.err).isZero();
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
  void aMissingFileIsBadInput() {
    assertThat(cli.run("validate", dir.resolve("nope.yaml").toString())).isEqualTo(2);
    assertThat(cli.err.toString()).contains("nope.yaml");
  }

  @Test
  void anUnknownCommandIsBadInput() {
    assertThat(cli.run("frobnicate")).isEqualTo(2);
  }
}
