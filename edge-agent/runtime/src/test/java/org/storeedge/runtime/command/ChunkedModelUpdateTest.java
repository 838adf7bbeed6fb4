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
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.runtime.Main;
import org.storeedge.runtime.ProjectModels;
import org.storeedge.runtime.failure.FaultProxy;
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

  /**
   * The command line keeps {@code --chunks-in-flight} chunks waiting for replies, no more, and sends
   * again one refused as corrupt. The agent here is the test itself, answering on another gateway's
   * topics of the same broker, so it decides when each reply goes out: it answers a chunk only once
   * as many as the window allows have arrived, which would never happen if the command line waited
   * for each reply before sending the next.
   */
  @Test
  void theCommandLineKeepsSeveralChunksInFlightAndSendsACorruptOneAgain() throws Exception {
    int n = chunks();
    int window = 3;
    assertThat(n).isGreaterThan(window + 2);
    String prefix = "storeedge/v1/t-001/gw-02/";
    Path other = dir.resolve("other-gateway.yaml");
    Files.writeString(other, Files.readString(g.storeFile).replace("gatewayId: gw-01", "gatewayId: gw-02")
        .replace("clientId: t-001-gw-01", "clientId: t-001-gw-02"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path shipped = Path.of(System.getProperty("storeedge.home"), "vision", "models", "sim-person");
    String key = signingKey().toString();
    try (OutsideSubscriber agent = new OutsideSubscriber(g.broker.uri(), "test-as-agent", prefix + "cmd/#")) {
      // a window the agent's command queue could not take is bad input: nothing is sent
      ByteArrayOutputStream badErr = new ByteArrayOutputStream();
      assertThat(cli(new ByteArrayOutputStream(), badErr, "model-update", "--config", other.toString(), "--model",
          shipped.toString(), "--signing-key", key, "--chunk-bytes", "64k", "--chunks-in-flight",
          "17")).isEqualTo(Main.BAD_INPUT);
      assertThat(badErr.toString(StandardCharsets.UTF_8)).contains("--chunks-in-flight must be 1-16 (got: 17)");
      CompletableFuture<Integer> cli = CompletableFuture.supplyAsync(() ->
          cli(out, err, "model-update", "--config", other.toString(), "--model", shipped.toString(), "--signing-key",
              key, "--sequence", "7", "--chunk-bytes", "64k", "--chunks-in-flight", String.valueOf(window)));
      Supplier<List<OutsideSubscriber.Received>> chunksIn = () -> agent.on(prefix + "cmd/model-chunk");
      TreeSet<Integer> held = new TreeSet<>();
      int answered = 0;
      int mostInFlight = 0;
      boolean corrupted = false;
      // chunk 0 goes alone (its reply says what is missing), then up to the window after each reply
      while (held.size() < chunks()) {
        int expected = answered == 0 ? 1 : Math.min(window, n - answered);
        int a = answered;
        Poll.until(Duration.ofSeconds(60), () -> chunksIn.get().size() - a >= expected,
            () -> expected + " chunk(s) in flight after " + a + " replies; arrived " + chunksIn.get().size());
        int inFlight = chunksIn.get().size() - answered;
        assertThat(inFlight).as("chunks waiting for a reply").isLessThanOrEqualTo(window);
        mostInFlight = Math.max(mostInFlight, inFlight);
        OutsideSubscriber.Received c = chunksIn.get().get(answered++);
        int index = JSON.readTree(c.payload()).path("index").asInt();
        if (index == 2 && !corrupted) {
          corrupted = true; // as the agent refuses a chunk whose bytes changed on the way
          agent.publish(prefix + "cmd-reply", ("{\"command\":\"model-chunk\",\"ok\":false,\"error\":\"rejected "
              + "(corrupt): chunk 2 of " + sha + " does not match its chunkSha256\"}").getBytes(StandardCharsets.UTF_8),
              c.correlationData(), Map.of("status", "error"));
          n++; // it comes again: one message more in all
          continue;
        }
        held.add(index);
        List<Integer> missing = IntStream.range(0, chunks()).filter(i -> !held.contains(i)).boxed()
            .toList();
        agent.publish(prefix + "cmd-reply", JSON.writeValueAsBytes(Map.of("command", "model-chunk", "ok", true,
            "complete", missing.isEmpty(), "missingCount", missing.size(), "missing", missing)), c.correlationData(),
            Map.of("status", "ok"));
      }
      Poll.until(Duration.ofSeconds(60), () -> !agent.on(prefix + "cmd/model-update").isEmpty(), "the signed manifest");
      OutsideSubscriber.Received manifest = agent.on(prefix + "cmd/model-update").get(0);
      agent.publish(prefix + "cmd-reply", "{\"command\":\"model-update\",\"ok\":true,\"applied\":true}"
          .getBytes(StandardCharsets.UTF_8), manifest.correlationData(), Map.of("status", "ok"));
      assertThat(cli.get(60, TimeUnit.SECONDS)).as(err.toString(StandardCharsets.UTF_8)).isZero();

      assertThat(mostInFlight).isEqualTo(window);
      List<Integer> sent = chunksIn.get().stream().map(r -> {
        try {
          return JSON.readTree(r.payload()).path("index").asInt();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
      assertThat(sent).as("each chunk once, the corrupt one twice").hasSize(chunks() + 1)
          .containsExactlyInAnyOrderElementsOf(Stream.concat(
              IntStream.range(0, chunks()).boxed(), Stream.of(2)).toList());
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("chunk 2 arrived changed; sending it again")
          .contains("(" + (chunks() + 1) + " sent)");
      // the manifest names the archive the chunks make up
      byte[] body = Base64.getDecoder().decode(JSON.readTree(manifest.payload()).path("body").asText());
      assertThat(body).isEqualTo(ModelTransfers.Manifest.of(archive, CHUNK));
    }
  }

  /**
   * A measurement as much as a test: over a long link (a loopback proxy delivering every byte 50 ms
   * after it was sent, so a round trip costs 100 ms; bandwidth not limited), the same model in 64 KB
   * chunks, installed with 1 and then 4 chunks in flight. Asserts only that each installs; prints the
   * times (docs/benchmarks.md, "Model updates").
   */
  @Test
  void overALongLinkAModelInChunksIsInstalledWithOneOrSeveralInFlight() throws Exception {
    installOverALongLink("a 100 ms round trip");
  }

  /**
   * As above with the agent, too, behind a link delaying every byte 50 ms each way: a piece's reply
   * comes back after about 200 ms, the pieces reach the agent one long link later.
   */
  @Test
  void withTheAgentAlsoOnALongLinkAModelInChunksIsInstalledWithOneOrSeveralInFlight() throws Exception {
    StillCameraGateway near = g;
    g = null;
    near.close();
    g = StillCameraGateway.start(dir.resolve("far-agent"), List.of("message_size_limit " + LIMIT), 50);
    assertThat(g.agentUri()).isNotEqualTo(g.broker.uri());
    installOverALongLink("a 200 ms round trip (both sides far)");
  }

  /**
   * A measurement as much as a test: the largest model the agent accepts ({@link
   * SignedUpdate#MAX_MODEL_BODY_BYTES}, 24 MB archived) on loopback, in 64 KB chunks, one and then
   * four in flight. The shipped model with an incompressible file beside it (a model's directory may
   * hold any plain files), so the archive is within a chunk of the limit. Asserts that it installs
   * whole; prints the times (docs/benchmarks.md, "Model updates").
   */
  @Test
  void theLargestModelAcceptedIsInstalledInChunksWithOneOrSeveralInFlight() throws Exception {
    Path model = dir.resolve("large").resolve("sim-person");
    Files.createDirectories(model);
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("storeedge.home"), "vision", "models",
        "sim-person"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, model.resolve(f.getFileName()));
      }
    }
    byte[] padding = new byte[SignedUpdate.MAX_MODEL_BODY_BYTES - ModelPackage.zip(model).length - CHUNK];
    new Random(24).nextBytes(padding);
    Files.write(model.resolve("padding.bin"), padding);
    archive = ModelPackage.zip(model);
    sha = ModelPackage.sha256(archive);
    assertThat(archive.length).as("within a chunk of the largest archive accepted")
        .isBetween(SignedUpdate.MAX_MODEL_BODY_BYTES - 2 * CHUNK, SignedUpdate.MAX_MODEL_BODY_BYTES);
    install(model, g.storeFile, "loopback, the largest model (" + archive.length + " bytes)");
    g.awaitProcessed("cam-1", 3);
    assertThat(transfersOnDisk()).isEmpty();
  }

  /**
   * Installs the shipped model with the command line behind a link delaying every byte 50 ms each
   * way, one piece in flight and then four; prints the times (not asserted: a measurement).
   */
  private void installOverALongLink(String what) throws Exception {
    Path shipped = Path.of(System.getProperty("storeedge.home"), "vision", "models", "sim-person");
    try (FaultProxy link = new FaultProxy(g.broker.port())) {
      link.setDelayMillis(50);
      Path far = dir.resolve("far.yaml");
      Files.writeString(far, Files.readString(g.storeFile).replace(g.agentUri(), link.uri()));
      install(shipped, far, what);
    }
  }

  /**
   * Installs {@code model} (archived as {@link #archive}) with the command line reading {@code
   * storeFile}, one piece in flight and then four, and checks each is in use; prints the times.
   */
  private void install(Path model, Path storeFile, String what) throws Exception {
    long seq = 20;
    for (int window : new int[] {1, 4}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      long t0 = System.nanoTime();
      int code = cli(out, err, "model-update", "--config", storeFile.toString(), "--model", model.toString(),
          "--signing-key", signingKey().toString(), "--sequence", String.valueOf(++seq), "--chunk-bytes", "64k",
          "--chunks-in-flight", String.valueOf(window));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
      JsonNode reply = JSON.readTree(out.toString(StandardCharsets.UTF_8));
      assertThat(reply.path("sha256").asText()).isEqualTo(sha);
      assertThat(reply.path("version").asText()).isEqualTo(seq + "-" + sha.substring(0, 12));
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("(" + chunks() + " sent)");
      assertThat(g.gw.cameras().modelsOf("cam-1")).isEqualTo(Map.of("sim-person", seq + "-" + sha.substring(0, 12)));
      System.out.println("chunked model-update over " + what + ", " + window + " in flight: " + chunks()
          + " chunks, command line to installed " + ms + " ms (of which trying it " + reply.path("triedMillis")
          + " ms, cameras back " + reply.path("restartMillis") + " ms)");
    }
  }
}
