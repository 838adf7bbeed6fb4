package org.storeedge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} and {@code score} log each warning of their store file once, at WARN, and go on. */
class StoreFileWarningsTest {
  @TempDir
  Path dir;

  private final Cli cli = new Cli();

  /** The demo store with a staff door drawn on shelf b, 0.4 m from lane b2 (line 67). */
  static Path demoStoreWithAGateOnAShelf(Path dir) throws Exception {
    String example = Files.readString(Path.of("../../config/examples/demo-store.yaml"));
    String yaml = example.replace("  - { id: exit,     position: { x: 9.5, y: 4.0 } }\n",
        "  - { id: exit,     position: { x: 9.5, y: 4.0 } }\n  - { id: staff-door, position: { x: 3.9, y: 1.6 } }\n");
    assertThat(yaml).isNotEqualTo(example);
    Path file = dir.resolve("store.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  static String gateOnAShelfWarning(Path file) {
    return file + ":67:33: gates[2].position: warning: 0.40 m from lane b2 (at 3.5, 1.6): a gate less than 0.5 m from"
        + " a lane stands on its shelf or where shoppers stand to take from it, so shoppers checking in would look like"
        + " shoppers taking from the lane";
  }

  @Test
  void runLogsTheWarningAndGoesOnToTheDevices() throws Exception {
    Path file = demoStoreWithAGateOnAShelf(dir);
    try (StoreFileLog log = new StoreFileLog()) {
      // the demo store's devices are simulated: run refuses them, which it only checks once the file has loaded
      assertThat(cli.run("run", "--config", file.toString())).isEqualTo(Main.BAD_INPUT);
      assertThat(log.warnings()).containsExactly(gateOnAShelfWarning(file));
    }
    assertThat(cli.err.toString()).contains("have no hardware driver on this gateway").doesNotContain("warning:");
  }

  @Test
  void scoreLogsTheWarningOnceAndScoresTheScenarios() throws Exception {
    Path file = demoStoreWithAGateOnAShelf(dir);
    try (StoreFileLog log = new StoreFileLog()) {
      int code = cli.run("score", "--config", file.toString(), "--scenario",
          Path.of("../../simulator/scenarios/suite/hand-off.yaml").toString(), "--seeds", "2");
      assertThat(code).as(cli.err.toString()).isZero();
      assertThat(log.warnings()).containsExactly(gateOnAShelfWarning(file));
    }
    assertThat(cli.out.toString()).contains("hand-off#103", "hand-off#104", "OVERALL");
  }

  @Test
  void aStoreWithProblemsPrintsItsWarningsAmongThemAndLogsNothing() throws Exception {
    Path file = demoStoreWithAGateOnAShelf(dir);
    Files.writeString(file, Files.readString(file).replace("{ id: a2, sku: ENRG-250,", "{ id: a2, sku: NO-SUCH-SKU,"));
    try (StoreFileLog log = new StoreFileLog()) {
      assertThat(cli.run("score", "--config", file.toString())).isEqualTo(Main.BAD_INPUT);
      assertThat(log.all()).isEmpty();
    }
    assertThat(cli.err.toString().split("\n")).containsExactly(
        file + ":33:24: shelves[0].lanes[1].sku: unknown sku (got: NO-SUCH-SKU)",
        gateOnAShelfWarning(file));
  }
}
