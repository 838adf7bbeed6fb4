package org.storeedge.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.runtime.Main;

/** Bad input to {@code run} and {@code calibrate} is reported before anything starts (exit 2). */
class RunOptionsTest {
  private static final String DEMO = Path.of("../../config/examples/demo-store.yaml").toString();

  @TempDir
  Path dir;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int cli(String... args) {
    return Main.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
  }

  @Test
  void aTrustKeyFileWithoutAPublicKeyIsBadInput() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.pem"), "not a key");
    assertThat(cli("run", "--config", DEMO, "--trust-key", junk.toString())).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("junk.pem").contains("PUBLIC KEY");
  }

  @Test
  void anInvalidPlanogramOverlayIsBadInputWithEveryProblem() throws Exception {
    Path store = dir.resolve("store.yaml");
    Files.copy(Path.of(DEMO), store);
    Files.writeString(Planogram.fileFor(store), "{\"lanes\":[{\"laneId\":\"a1\",\"sku\":\"NOPE\"},{\"laneId\":\"q9\",\"sku\":\"COLA-330\"}]}");
    assertThat(cli("run", "--config", store.toString())).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("lanes[0].sku").contains("lanes[1].laneId");
  }

  @Test
  void anUpdateCutOffMidCheckIsUndoneBeforeTheStoreFileIsRead() throws Exception {
    Path store = dir.resolve("store.yaml");
    Files.copy(Path.of(DEMO), store);
    String before = Files.readString(store);
    UpdateTrial.begin(UpdateTrial.markerFor(store), "config-update sequence 3", java.util.List.of(store));
    AtomicFiles.replace(store, "store: [this is not what ran".getBytes(StandardCharsets.UTF_8));

    // the demo store's simulated devices stop it after loading: it loaded the file that ran before
    assertThat(cli("run", "--config", store.toString())).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no hardware driver");
    assertThat(Files.readString(store)).isEqualTo(before);
    assertThat(UpdateTrial.markerFor(store)).doesNotExist();
  }

  @Test
  void calibrateChecksItsArgumentsBeforeReachingForTheBroker() {
    assertThat(cli("calibrate", "--config", DEMO, "--lane", "a1", "span")).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--known-grams");
    assertThat(cli("calibrate", "--config", DEMO, "--lane", "zz", "tare")).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no lane 'zz'");
    assertThat(cli("calibrate", "--config", DEMO, "--lane", "a1", "level")).isEqualTo(Main.BAD_INPUT);
  }
}
