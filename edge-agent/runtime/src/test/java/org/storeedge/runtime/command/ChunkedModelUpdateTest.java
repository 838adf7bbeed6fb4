package org.storeedge.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.runtime.Main;
import org.storeedge.runtime.ProjectModels;
import org.storeedge.sync.testing.OutsideSubscriber;
import org.storeedge.sync.testing.Poll;

/**
 * A model update through a broker that caps messages at 128 KB, as AWS IoT Core does: a real
 * Mosquitto with {@code message_size_limit 131072}, the gateway runtime with an opencv camera on a
 * still image running the shipped sim-person model (about 700 KB archived), and the cloud as an
 * outside MQTT client or the technician's command line.
 */
@ExtendWith(ProjectModels.Home.class)
class ChunkedModelUpdateTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int LIMIT = 128 * 1024;
  private static final int CHUNK = 64 * 1024; // 87 KB a message in base64

  @TempDir
  Path dir;

  private StillCameraGateway g;
  private byte[] archive;
  private String sha;
  private Path transfers;

  @BeforeEach
  void setUp() throws Exception {
    g = StillCameraGateway.start(dir, List.of("message_size_limit " + LIMIT));
    archive = ModelPackage.zip(Path.of(System.getProperty("storeedge.home"), "vision", "models", "sim-person"));
    sha = ModelPackage.sha256(archive);
    transfers = dir.resolve("data").resolve("model-transfers").toAbsolutePath();
  }

  @AfterEach
  void tearDown() {
    if (g != null) {
      g.close();
    }
  }

  private byte[] signed(long seq, byte[] body) throws Exception {
    return SignedUpdate.sign(g.signing.getPrivate(), g.signing.getPublic(), "model", seq,
        Instant.parse("2026-11-27T10:00:00Z"), body);
  }

  private int chunks() {
    return (archive.length + CHUNK - 1) / CHUNK;
  }

  private JsonNode sendChunk(int index, byte[] data) throws Exception {
    String payload = "{\"sha256\":\"" + sha + "\",\"index\":" + index + ",\"count\":" + chunks() + ",\"data\":\""
        + Base64.getEncoder().encodeToString(data) + "\"}";
    return JSON.readTree(TestGateway.command(g.cloud, "model-chunk", payload).payload());
  }

  private byte[] chunkData(int index) {
    return Arrays.copyOfRange(archive, index * CHUNK, Math.min(archive.length, (index + 1) * CHUNK));
  }

  private Path signingKey() throws Exception {
    Path key = dir.resolve("signing-key.pem");
    Files.writeString(key, TestGateway.pem(g.signing), StandardCharsets.US_ASCII);
    return key;
  }

  private int cli(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
    return Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        args);
  }

  private List<String> transfersOnDisk() throws Exception {
    if (!Files.isDirectory(transfers)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(transfers)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void aModelLargerThanTheBrokersMessageLimitIsInstalledInChunks() throws Exception {
    assertThat(archive.length).as("the model is larger than one message may be").isGreaterThan(LIMIT);
    // sent whole, the broker refuses it: the agent never sees it
    try (OutsideSubscriber sender = new OutsideSubscriber(g.broker.uri(), "whole-sender", "nothing/#")) {
      assertThatThrownBy(() -> sender.publish(TestGateway.PREFIX + "cmd/model-update", signed(1, archive), null))
          .isInstanceOf(org.eclipse.paho.mqttv5.common.MqttException.class);
    }
    assertThat(g.gw.cameras().modelsOf("cam-1")).isEqualTo(Map.of("sim-person", "shipped"));

    Path shipped = Path.of(System.getProperty("storeedge.home"), "vision", "models", "sim-person");
    // the command line, sending it whole, says what to do about it
    ByteArrayOutputStream refused = new ByteArrayOutputStream();
    assertThat(cli(new ByteArrayOutputStream(), refused, "model-update", "--config", g.storeFile.toString(), "--model",
        shipped.toString(), "--signing-key", signingKey().toString(), "--sequence", "2", "--timeout", "60s"))
        .isEqualTo(Main.FAILED);
    assertThat(refused.toString(StandardCharsets.UTF_8)).contains("refused the command").contains("--chunk-bytes");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long t0 = System.nanoTime();
    int code = cli(out, err, "model-update", "--config", g.storeFile.toString(), "--model", shipped.toString(),
        "--signing-key", signingKey().toString(), "--sequence", "2", "--chunk-bytes", "64k");
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("holds all " + chunks() + " chunk(s)")
        .contains("(" + chunks() + " sent)");
    JsonNode reply = JSON.readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(reply.path("applied").asBoolean()).isTrue();
    System.out.println("chunked model-update of sim-person: " + archive.length + " bytes in " + chunks()
        + " chunks, command line to installed " + ms + " ms (of which trying it " + reply.path("triedMillis")
        + " ms, cameras back " + reply.path("restartMillis") + " ms)");
    assertThat(reply.path("sha256").asText()).isEqualTo(sha);
    assertThat(reply.path("version").asText()).isEqualTo("2-" + sha.substring(0, 12));
    assertThat(g.gw.cameras().modelsOf("cam-1")).isEqualTo(Map.of("sim-person", reply.path("version").asText()));
    g.awaitProcessed("cam-1", 3);
    // once installed, the chunks are gone; the counters say what arrived
    assertThat(transfersOnDisk()).isEmpty();
    JsonNode status = JSON.readTree(TestGateway.command(g.cloud, "outbox-status", "{}").payload());
    assertThat(status.path("commands").path("modelChunks").asInt()).isEqualTo(chunks());
    assertThat(status.path("modelTransfers").size()).isZero();
  }

  @Test
  void aTransferCutOffIsResumedWithOnlyTheMissingChunks() throws Exception {
    int n = chunks();
    assertThat(n).isGreaterThanOrEqualTo(5);
    // the sender is cut off after a few chunks, one of them lost on the way
    for (int i : new int[] {0, 1, 3}) {
      JsonNode r = sendChunk(i, chunkData(i));
      assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
    }
    JsonNode last = sendChunk(3, chunkData(3)); // sent twice: kept once
    assertThat(last.path("received").asInt()).isEqualTo(3);
    assertThat(last.path("missingCount").asInt()).isEqualTo(n - 3);
    assertThat(last.path("missing").get(0).asInt()).isEqualTo(2);
    assertThat(last.path("complete").asBoolean()).isFalse();

    // a manifest now is refused as incomplete, and its sequence is not used up
    OutsideSubscriber.Received early = TestGateway.command(g.cloud, "model-update",
        signed(3, ModelTransfers.Manifest.of(archive, CHUNK)));
    assertThat(early.text()).contains("incomplete").contains("missing: [2, 4");
    assertThat(transfersOnDisk()).containsExactly(sha);

    // the command line sends chunk 0 again (to learn what is missing), then only the missing ones
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path shipped = Path.of(System.getProperty("storeedge.home"), "vision", "models", "sim-person");
    int code = cli(out, err, "model-update", "--config", g.storeFile.toString(), "--model", shipped.toString(),
        "--signing-key", signingKey().toString(), "--sequence", "3", "--chunk-bytes", "64k");
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("(" + (1 + n - 3) + " sent)");
    assertThat(JSON.readTree(out.toString(StandardCharsets.UTF_8)).path("version").asText())
        .isEqualTo("3-" + sha.substring(0, 12));
    assertThat(transfersOnDisk()).isEmpty();
  }

  @Test
  void aChunkChangedOnTheWayIsRefusedByItsOwnDigestAndOnlyItIsSentAgain() throws Exception {
    int n = chunks();
    for (int i = 0; i < n; i++) {
      ModelTransfers.Chunk c = new ModelTransfers.Chunk(sha, i, n, chunkData(i));
      byte[] payload = c.payload();
      if (i == 2) {
        // a relay changed one byte of its data; the digest it carries is still the sender's
        JsonNode p = JSON.readTree(payload);
        byte[] data = chunkData(2).clone();
        data[100] ^= 0x5a;
        ((com.fasterxml.jackson.databind.node.ObjectNode) p).put("data", Base64.getEncoder().encodeToString(data));
        OutsideSubscriber.Received r = TestGateway.command(g.cloud, "model-chunk", JSON.writeValueAsString(p));
        assertThat(r.property("status")).contains("error");
        assertThat(r.text()).contains("rejected (corrupt)").contains("chunk 2 of " + sha);
        continue;
      }
      JsonNode r = JSON.readTree(TestGateway.command(g.cloud, "model-chunk", new String(payload, StandardCharsets.UTF_8))
          .payload());
      assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
    }
    // the changed one was not kept: the transfer lacks only it, and every other chunk stays
    JsonNode status = sendChunk(0, chunkData(0));
    assertThat(status.path("missing").toString()).isEqualTo("[2]");
    assertThat(transfersOnDisk()).containsExactly(sha);
    assertThat(TestGateway.command(g.cloud, "model-chunk",
        new String(new ModelTransfers.Chunk(sha, 2, n, chunkData(2)).payload(), StandardCharsets.UTF_8)).text())
        .contains("\"complete\":true");
    OutsideSubscriber.Received installed = TestGateway.command(g.cloud, "model-update",
        signed(6, ModelTransfers.Manifest.of(archive, CHUNK)));
    assertThat(installed.property("status")).contains("ok");
    assertThat(g.gw.cameras().modelsOf("cam-1")).isEqualTo(Map.of("sim-person", "6-" + sha.substring(0, 12)));
    JsonNode counts = JSON.readTree(TestGateway.command(g.cloud, "outbox-status", "{}").payload());
    assertThat(counts.path("commands").path("rejected").path("corrupt").asInt()).isEqualTo(1);
  }

  @Test
  void chunksThatDoNotMakeUpTheSignedArchiveAreRefusedAndDeleted() throws Exception {
    int n = chunks();
    for (int i = 0; i < n; i++) {
      byte[] data = chunkData(i);
      if (i == 2) {
        data = data.clone();
        data[100] ^= 0x5a; // altered on the way, or by someone who cannot sign
      }
      sendChunk(i, data);
    }
    OutsideSubscriber.Received r = TestGateway.command(g.cloud, "model-update",
        signed(4, ModelTransfers.Manifest.of(archive, CHUNK)));
    assertThat(r.property("status")).contains("error");
    assertThat(r.text()).contains("invalid").contains("not the signed manifest's " + sha);
    assertThat(transfersOnDisk()).isEmpty();
    assertThat(g.gw.cameras().modelsOf("cam-1")).isEqualTo(Map.of("sim-person", "shipped"));

    // unsigned chunks cannot stand in for a signed manifest: a manifest signed by another key is refused
    java.security.KeyPair other = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    for (int i = 0; i < n; i++) {
      sendChunk(i, chunkData(i));
    }
    byte[] forged = SignedUpdate.sign(other.getPrivate(), other.getPublic(), "model", 5,
        Instant.parse("2026-11-27T10:00:00Z"), ModelTransfers.Manifest.of(archive, CHUNK));
    assertThat(TestGateway.command(g.cloud, "model-update", forged).text()).contains("unknown-key");
    assertThat(g.gw.cameras().modelsOf("cam-1")).isEqualTo(Map.of("sim-person", "shipped"));
  }
}
