package org.storeedge.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.runtime.ProjectModels;
import org.storeedge.sync.testing.OutsideSubscriber;
import org.storeedge.sync.testing.Poll;
import org.storeedge.vision.onnx.ModelRegistry;

/**
 * The signed {@code model-update} command end to end: a real Mosquitto, the gateway runtime with an
 * opencv camera on a still image the simulator rendered, running the shipped sim-person model, and
 * the cloud as an outside MQTT client sending new versions of that model.
 */
@ExtendWith(ProjectModels.Home.class)
class ModelUpdateCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant ISSUED = Instant.parse("2026-11-27T10:00:00Z");

  @TempDir
  Path dir;

  private StillCameraGateway g;
  private KeyPair signing;
  private GatewayRuntime gw;
  private OutsideSubscriber cloud;
  private Path still;
  private Path installed;

  @BeforeEach
  void setUp() throws Exception {
    g = StillCameraGateway.start(dir);
    signing = g.signing;
    gw = g.gw;
    cloud = g.cloud;
    still = g.still;
    installed = dir.resolve("data").resolve("models").toAbsolutePath();
  }

  @AfterEach
  void tearDown() {
    if (g != null) {
      g.close();
    }
  }

  /** A copy of the shipped sim-person model, its model.properties edited by {@code edit}, archived. */
  private byte[] simPerson(String name, java.util.function.UnaryOperator<String> edit, byte[] onnx) throws Exception {
    Path shipped = Path.of(System.getProperty("storeedge.home"), "vision", "models", "sim-person");
    Path copy = Files.createDirectories(dir.resolve("build-" + System.nanoTime()).resolve(name));
    for (String f : List.of("labels.txt", "MODEL.md")) {
      Files.copy(shipped.resolve(f), copy.resolve(f));
    }
    Files.write(copy.resolve("model.onnx"), onnx != null ? onnx : Files.readAllBytes(shipped.resolve("model.onnx")));
    Files.writeString(copy.resolve("model.properties"),
        edit.apply(Files.readString(shipped.resolve("model.properties"), StandardCharsets.UTF_8)));
    return ModelPackage.zip(copy);
  }

  private byte[] signed(long seq, byte[] archive) throws Exception {
    return SignedUpdate.sign(signing.getPrivate(), signing.getPublic(), "model", seq, ISSUED, archive);
  }

  private static JsonNode body(OutsideSubscriber.Received r) throws Exception {
    return JSON.readTree(r.payload());
  }

  private void awaitProcessed(int n) {
    g.awaitProcessed("cam-1", n);
  }

  private List<String> versionsOnDisk(String model) throws Exception {
    Path d = installed.resolve(model);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aSignedModelIsTriedInstalledAndTheCameraRunsItAfterARestart() throws Exception {
    assertThat(gw.cameras().modelsOf("cam-1")).isEqualTo(Map.of("sim-person", "shipped"));
    byte[] archive = simPerson("sim-person", p -> p.replace("threshold.score=0.4", "threshold.score=0.45"), null);

    OutsideSubscriber.Received r = TestGateway.command(cloud, "model-update", signed(1, archive));

    assertThat(r.property("status")).as(r.text()).contains("ok");
    JsonNode b = body(r);
    String version = "1-" + ModelPackage.sha256(archive).substring(0, 12);
    assertThat(b.path("applied").asBoolean()).isTrue();
    assertThat(b.path("model").asText()).isEqualTo("sim-person");
    assertThat(b.path("version").asText()).isEqualTo(version);
    assertThat(b.path("previousVersion").asText()).isEqualTo("shipped");
    assertThat(b.path("camerasRestarted").toString()).isEqualTo("[\"cam-1\"]");
    System.out.println("model-update of sim-person: tried in " + b.path("triedMillis") + " ms, cameras back in "
        + b.path("restartMillis") + " ms");
    // installed under the data directory, apart from the shipped model, which is left as it was
    assertThat(Files.readString(installed.resolve("sim-person").resolve("current")).strip()).isEqualTo(version);
    Path v = installed.resolve("sim-person").resolve(version);
    assertThat(ModelRegistry.load(v, "sim-person").scoreThreshold()).isEqualTo(0.45f);
    assertThat(Files.readString(Path.of(System.getProperty("storeedge.home"), "vision", "models", "sim-person",
        "model.properties"))).contains("threshold.score=0.4\n");
    // the camera was restarted on it and runs frames through it
    assertThat(gw.cameras().modelsOf("cam-1")).isEqualTo(Map.of("sim-person", version));
    awaitProcessed(3);
    assertThat(gw.cameras().pipeline("cam-1").orElseThrow().counters().detectorFailures()).isZero();
    assertThat(gw.commands().appliedUpdates()).isEqualTo(1);
    JsonNode status = body(TestGateway.command(cloud, "outbox-status", "{}"));
    assertThat(status.path("cameraModels").path("cam-1").path("sim-person").asText()).isEqualTo(version);

    // the same command again is a replay; a second version replaces the first, which is kept as the previous one
    assertThat(TestGateway.command(cloud, "model-update", signed(1, archive)).text()).contains("replayed");
    byte[] second = simPerson("sim-person", p -> p.replace("threshold.score=0.4", "threshold.score=0.5"), null);
    JsonNode b2 = body(TestGateway.command(cloud, "model-update", signed(2, second)));
    String version2 = "2-" + ModelPackage.sha256(second).substring(0, 12);
    assertThat(b2.path("version").asText()).as(b2.toString()).isEqualTo(version2);
    assertThat(b2.path("previousVersion").asText()).isEqualTo(version);
    assertThat(versionsOnDisk("sim-person")).containsExactlyInAnyOrder(version, version2);
    // a third: only the current and the previous version stay on disk
    byte[] third = simPerson("sim-person", p -> p.replace("threshold.score=0.4", "threshold.score=0.55"), null);
    String version3 = body(TestGateway.command(cloud, "model-update", signed(3, third))).path("version").asText();
    assertThat(versionsOnDisk("sim-person")).containsExactlyInAnyOrder(version2, version3);
  }

  @Test
  void aModelThatDoesNotLoadOrRunIsRefusedAndTheCameraKeepsItsModel() throws Exception {
    // not an ONNX graph at all
    byte[] garbage = simPerson("sim-person", p -> p, "not a model".getBytes(StandardCharsets.UTF_8));
    OutsideSubscriber.Received r = TestGateway.command(cloud, "model-update", signed(1, garbage));
    assertThat(r.property("status")).contains("error");
    assertThat(r.text()).contains("invalid").contains("ONNX Runtime cannot load it");
    // an input size the graph does not have
    byte[] wrongSize = simPerson("sim-person", p -> p.replace("input.width=192", "input.width=200"), null);
    OutsideSubscriber.Received r2 = TestGateway.command(cloud, "model-update", signed(2, wrongSize));
    assertThat(r2.text()).contains("invalid").contains("does not match its model.properties").contains("has shape");
    // a typo in model.properties: named with the key
    byte[] typo = simPerson("sim-person", p -> p + "threshold.scroe=0.3\n", null);
    OutsideSubscriber.Received r3 = TestGateway.command(cloud, "model-update", signed(3, typo));
    assertThat(r3.text()).contains("invalid").contains("threshold.scroe: unknown key");
    // entries outside one model directory
    java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(zip)) {
      out.putNextEntry(new java.util.zip.ZipEntry("sim-person/../../evil.sh"));
      out.write(1);
      out.closeEntry();
    }
    OutsideSubscriber.Received r4 = TestGateway.command(cloud, "model-update", signed(4, zip.toByteArray()));
    assertThat(r4.text()).contains("invalid").contains("sim-person/../../evil.sh");
    assertThat(Files.exists(dir.resolve("evil.sh"))).isFalse();

    assertThat(gw.commands().rejectedCounts()).containsEntry("invalid", 4L);
    assertThat(gw.commands().appliedUpdates()).isZero();
    // nothing installed, no version left behind; the camera was never restarted and runs on
    assertThat(versionsOnDisk("sim-person")).isEmpty();
    assertThat(Files.exists(installed.resolve("sim-person").resolve("current"))).isFalse();
    assertThat(gw.cameras().modelsOf("cam-1")).isEqualTo(Map.of("sim-person", "shipped"));
    awaitProcessed(2);
    // a refused update does not use its sequence up
    byte[] good = simPerson("sim-person", p -> p, null);
    assertThat(TestGateway.command(cloud, "model-update", signed(1, good)).property("status")).contains("ok");
  }

  @Test
  void aCameraThatDoesNotComeBackOnTheNewModelRollsItBack() throws Exception {
    byte[] first = simPerson("sim-person", p -> p.replace("threshold.score=0.4", "threshold.score=0.45"), null);
    String version1 = body(TestGateway.command(cloud, "model-update", signed(1, first))).path("version").asText();
    assertThat(gw.cameras().modelsOf("cam-1")).isEqualTo(Map.of("sim-person", version1));

    // the camera's image goes away: the camera cannot start again on the next version
    Files.delete(still);
    byte[] second = simPerson("sim-person", p -> p.replace("threshold.score=0.4", "threshold.score=0.5"), null);
    OutsideSubscriber.Received r = TestGateway.command(cloud, "model-update", signed(2, second));

    assertThat(r.property("status")).contains("error");
    assertThat(r.text()).contains("rolled-back").contains("camera cam-1 with version 2-")
        .contains("after rolling back to " + version1);
    assertThat(gw.commands().rolledBackUpdates()).isEqualTo(1);
    // the version before it is in use again; the failed one is deleted
    assertThat(Files.readString(installed.resolve("sim-person").resolve("current")).strip()).isEqualTo(version1);
    assertThat(versionsOnDisk("sim-person")).containsExactly(version1);
    // its sequence is used up (it was applied)
    assertThat(TestGateway.command(cloud, "model-update", signed(2, second)).text()).contains("replayed");
  }

  @Test
  void aVersionTheAgentStoppedOnBeforeItsCamerasRanItIsPutBackAtTheNextStart() throws Exception {
    byte[] first = simPerson("sim-person", p -> p.replace("threshold.score=0.4", "threshold.score=0.45"), null);
    String version1 = body(TestGateway.command(cloud, "model-update", signed(1, first))).path("version").asText();
    Path marker = UpdateTrial.markerFor(installed.resolve("sim-person").resolve("current"));
    assertThat(marker).as("a version that ran healthily is confirmed").doesNotExist();

    // the next version is written and switched in, as the command does; then the power goes
    // before the camera has run it (or the model takes the process down)
    gw.close();
    ModelPackage second = ModelPackage.read(simPerson("sim-person",
        p -> p.replace("threshold.score=0.4", "threshold.score=0.5"), null));
    String version2 = "2-" + second.sha256().substring(0, 12);
    InstalledModels store = new InstalledModels(installed);
    store.write(second, version2);
    store.useOnTrial("sim-person", version2, "model-update sequence 2 (sim-person version " + version2 + ")");
    assertThat(store.currentVersion("sim-person")).contains(version2);

    try (GatewayRuntime again = TestGateway.start(g.storeFile, TrustedKeys.of(List.of(signing.getPublic())),
        Duration.ofSeconds(20))) {
      // the camera starts on the version that ran before; the unconfirmed one is gone
      assertThat(again.cameras().modelsOf("cam-1")).isEqualTo(Map.of("sim-person", version1));
      assertThat(store.currentVersion("sim-person")).contains(version1);
      assertThat(versionsOnDisk("sim-person")).containsExactly(version1);
      assertThat(marker).doesNotExist();
      Poll.until(Duration.ofSeconds(60), () -> TestGateway.entries(cloud, "events").stream()
          .anyMatch(e -> e.path("type").asText().equals("update-interrupted")), "an update-interrupted alert");
      JsonNode alert = TestGateway.entries(cloud, "events").stream()
          .filter(e -> e.path("type").asText().equals("update-interrupted")).findFirst().orElseThrow();
      assertThat(alert.path("update").asText()).isEqualTo("model-update sequence 2 (sim-person version " + version2 + ")");
      assertThat(alert.path("message").asText()).contains("health check never ended");
      org.storeedge.vision.VisionPipeline p = again.cameras().pipeline("cam-1").orElseThrow();
      Poll.until(Duration.ofSeconds(90), () -> p.counters().processed() >= 3, () -> "frames: " + p.counters());
    }
  }

  @Test
  void aTechnicianSendsAModelDirectoryFromTheCommandLine() throws Exception {
    Path key = dir.resolve("signing-key.pem");
    Files.writeString(key, TestGateway.pem(signing), StandardCharsets.US_ASCII);
    Path shipped = Path.of(System.getProperty("storeedge.home"), "vision", "models", "sim-person");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = org.storeedge.runtime.Main.run(new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
        new java.io.PrintStream(err, true, StandardCharsets.UTF_8), "model-update", "--config",
        dir.resolve("store.yaml").toString(), "--model", shipped.toString(), "--signing-key", key.toString(),
        "--sequence", "5");
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    JsonNode reply = JSON.readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(reply.path("applied").asBoolean()).isTrue();
    assertThat(reply.path("version").asText()).startsWith("5-");
    assertThat(gw.cameras().modelsOf("cam-1")).isEqualTo(Map.of("sim-person", reply.path("version").asText()));

    // a directory that is not a model never reaches the agent
    java.io.ByteArrayOutputStream err2 = new java.io.ByteArrayOutputStream();
    int bad = org.storeedge.runtime.Main.run(new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8), new java.io.PrintStream(err2, true, StandardCharsets.UTF_8), "model-update",
        "--config", dir.resolve("store.yaml").toString(), "--model", dir.toString(), "--signing-key", key.toString());
    assertThat(bad).isEqualTo(org.storeedge.runtime.Main.BAD_INPUT);
    assertThat(err2.toString(StandardCharsets.UTF_8)).contains("model.properties");
    assertThat(gw.commands().appliedUpdates()).isEqualTo(1);
  }

  @Test
  void aModelUpdateWaitsWhileShoppersAreInsideAndIsAppliedWhenTheStoreEmpties() throws Exception {
    TestGateway.command(cloud, "gate", "{\"gateId\":\"entrance\",\"direction\":\"enter\",\"customerToken\":\"c-1\"}");
    Poll.until(Duration.ofSeconds(30), () -> gw.host().agent().checkout().openSessions() == 1, "one open visit");
    byte[] archive = simPerson("sim-person", p -> p.replace("threshold.score=0.4", "threshold.score=0.45"), null);

    JsonNode b = body(TestGateway.command(cloud, "model-update", signed(7, archive)));

    assertThat(b.path("pending").asBoolean()).as(b.toString()).isTrue();
    assertThat(b.path("shoppersInside").asInt()).isEqualTo(1);
    assertThat(gw.cameras().modelsOf("cam-1")).isEqualTo(Map.of("sim-person", "shipped"));
    assertThat(versionsOnDisk("sim-person")).isEmpty();

    TestGateway.command(cloud, "gate", "{\"gateId\":\"exit\",\"direction\":\"exit\",\"customerToken\":\"c-1\"}");
    String version = "7-" + ModelPackage.sha256(archive).substring(0, 12);
    Poll.until(Duration.ofSeconds(60), () -> version.equals(gw.cameras().modelsOf("cam-1").get("sim-person")),
        () -> "the held model in use once the store emptied: " + gw.cameras().modelsOf("cam-1"));
    Poll.until(Duration.ofSeconds(60), () -> TestGateway.entries(cloud, "events").stream()
        .anyMatch(n -> n.path("type").asText().equals("update-applied")
            && n.path("command").asText().equals("model-update")), "the outcome on events");
  }

  @Test
  void aModelNoCameraUsesGoesInWhileAnotherWaitsAndTheHeldOneIsStillAppliedAfterIt() throws Exception {
    TestGateway.command(cloud, "gate", "{\"gateId\":\"entrance\",\"direction\":\"enter\",\"customerToken\":\"c-1\"}");
    Poll.until(Duration.ofSeconds(30), () -> gw.host().agent().checkout().openSessions() == 1, "one open visit");
    byte[] used = simPerson("sim-person", p -> p.replace("threshold.score=0.4", "threshold.score=0.45"), null);
    JsonNode held = body(TestGateway.command(cloud, "model-update", signed(7, used)));
    assertThat(held.path("pending").asBoolean()).as(held.toString()).isTrue();
    assertThat(held.path("model").asText()).isEqualTo("sim-person");

    // a later sequence for a model no camera runs goes in at once
    byte[] spare = simPerson("spare-person", p -> p, null);
    JsonNode now = body(TestGateway.command(cloud, "model-update", signed(9, spare)));
    assertThat(now.path("applied").asBoolean()).as(now.toString()).isTrue();
    assertThat(versionsOnDisk("spare-person")).containsExactly("9-" + ModelPackage.sha256(spare).substring(0, 12));

    // the held one, sequence 7, is for another model: not a replay of 9
    TestGateway.command(cloud, "gate", "{\"gateId\":\"exit\",\"direction\":\"exit\",\"customerToken\":\"c-1\"}");
    String version = "7-" + ModelPackage.sha256(used).substring(0, 12);
    Poll.until(Duration.ofSeconds(60), () -> version.equals(gw.cameras().modelsOf("cam-1").get("sim-person")),
        () -> "the held model in use once the store emptied: " + gw.cameras().modelsOf("cam-1") + " "
            + gw.commands().rejectedCounts());
    Poll.until(Duration.ofSeconds(60), () -> TestGateway.entries(cloud, "events").stream()
        .anyMatch(n -> n.path("type").asText().equals("update-applied")
            && n.path("model").asText().equals("sim-person") && n.path("sequence").asLong() == 7),
        "the outcome on events, naming the model");
    // and each model keeps its own sequence: 7 again for sim-person is a replay
    OutsideSubscriber.Received again = TestGateway.command(cloud, "model-update", signed(7, used));
    assertThat(again.property("status")).contains("error");
    assertThat(again.text()).contains("replayed").contains("model/sim-person");
  }

  @Test
  void aSequenceAcceptedForEveryModelBeforeEachHadItsOwnIsStillRefused() throws Exception {
    Path db = org.storeedge.sync.state.StateDatabase.siblingOf(gw.outbox().file());
    try (org.storeedge.sync.state.StateDatabase state = org.storeedge.sync.state.StateDatabase.open(db)) {
      // the single row every model shared before models had a ledger row each
      assertThat(new org.storeedge.sync.state.UpdateLedger(state).accept("model", 10, "old", 0)).isTrue();
    }
    byte[] archive = simPerson("sim-person", p -> p.replace("threshold.score=0.4", "threshold.score=0.45"), null);

    OutsideSubscriber.Received r = TestGateway.command(cloud, "model-update", signed(10, archive));

    assertThat(r.property("status")).contains("error");
    assertThat(r.text()).contains("replayed").contains("last accepted model update (10)");
    assertThat(gw.cameras().modelsOf("cam-1")).isEqualTo(Map.of("sim-person", "shipped"));
    JsonNode next = body(TestGateway.command(cloud, "model-update", signed(11, archive)));
    assertThat(next.path("applied").asBoolean()).as(next.toString()).isTrue();
  }
}
