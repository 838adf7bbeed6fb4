package org.storeedge.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.core.outbox.Stream;
import org.storeedge.runtime.Main;
import org.storeedge.sync.outbox.OutboxEntry;
import org.storeedge.sync.testing.MosquittoBroker;
import org.storeedge.sync.testing.OutsideSubscriber;
import org.storeedge.sync.testing.Poll;

/**
 * Downlink commands end to end: the gateway runtime (real outbox, state database, uplink) on fake
 * wall-time devices, a real Mosquitto, and the cloud as an outside MQTT client.
 */
class DownlinkCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant ISSUED = Instant.parse("2026-11-25T10:00:00Z");

  @TempDir
  Path dir;

  private MosquittoBroker broker;
  private KeyPair signing;
  private Path storeFile;
  private GatewayRuntime gw;
  private OutsideSubscriber cloud;

  @BeforeEach
  void setUp() throws Exception {
    broker = MosquittoBroker.create(dir.resolve("mosquitto"), false, List.of("max_queued_messages 0")).startProcess();
    signing = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    storeFile = TestGateway.write(dir, TestGateway.yaml(broker.uri(), "{ scale: 1.0 }", "ENRG-250"));
    cloud = new OutsideSubscriber(broker.uri(), "cloud", TestGateway.PREFIX + "#");
    gw = TestGateway.start(storeFile, TrustedKeys.of(List.of(signing.getPublic())), Duration.ofSeconds(20));
    awaitOnline();
  }

  private void awaitOnline() {
    Poll.until(Duration.ofSeconds(60), () -> cloud.on(TestGateway.PREFIX + "status").stream()
        .anyMatch(r -> r.text().contains("online")), "the agent online (subscribed to its commands)");
  }

  @AfterEach
  void tearDown() {
    if (gw != null) {
      gw.close();
    }
    if (cloud != null) {
      cloud.close();
    }
    broker.close();
  }

  private byte[] signed(String kind, long seq, String body) throws Exception {
    return SignedUpdate.sign(signing.getPrivate(), signing.getPublic(), kind, seq, ISSUED, body.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode body(OutsideSubscriber.Received r) throws Exception {
    return JSON.readTree(r.payload());
  }

  @Test
  void outboxStatusReportsPendingAgesAndCounters() throws Exception {
    gw.outbox().append(Stream.TELEMETRY, "telemetry", "t-1", "{}".getBytes(StandardCharsets.UTF_8));
    OutsideSubscriber.Received r = TestGateway.command(cloud, "outbox-status", "{}");
    assertThat(r.property("status")).contains("ok");
    JsonNode b = body(r);
    assertThat(b.path("streams").path("receipts").has("pending")).isTrue();
    assertThat(b.path("streams").has("telemetry")).isTrue();
    assertThat(b.path("uplink").path("connected").asBoolean()).isTrue();
    assertThat(b.path("freeDiskBytes").asLong()).isPositive();
    assertThat(b.path("commands").path("rejected").isObject()).isTrue();
    assertThat(b.path("alarms").isArray()).isTrue();
    assertThat(b.path("streams").path("telemetry").path("refusedLowDisk").asLong()).isZero();
  }

  @Test
  void aSignedValidConfigIsAppliedAtomicallyAndTheAgentRestartsHealthy() throws Exception {
    String before = Files.readString(storeFile);
    String next = TestGateway.yaml(broker.uri(), "{ scale: 1.0 }", "COLA-330");
    OutsideSubscriber.Received r = TestGateway.command(cloud, "config-update", signed("config", 1, next));

    assertThat(r.property("status")).as(r.text()).contains("ok");
    assertThat(body(r).path("applied").asBoolean()).isTrue();
    assertThat(Files.readString(storeFile)).isEqualTo(next);
    assertThat(Files.readString(AtomicFiles.previousOf(storeFile))).isEqualTo(before);
    assertThat(gw.host().config().lane("a2").orElseThrow().sku()).isEqualTo("COLA-330");
    assertThat(gw.commands().appliedUpdates()).isEqualTo(1);
    assertThat(UpdateTrial.markerFor(storeFile)).as("healthy: confirmed").doesNotExist();

    // the same update again is a replay, also after a restart of the whole gateway
    gw.close();
    gw = TestGateway.start(storeFile, TrustedKeys.of(List.of(signing.getPublic())), Duration.ofSeconds(20));
    Poll.until(Duration.ofSeconds(60), () -> gw.uplink().orElseThrow().stats().connected(), "reconnected");
    OutsideSubscriber.Received again = TestGateway.command(cloud, "config-update", signed("config", 1, next));
    assertThat(again.property("status")).contains("error");
    assertThat(again.text()).contains("replayed");
    assertThat(gw.commands().rejectedCounts()).containsEntry("replayed", 1L);
  }

  private void gate(String direction, String token) throws Exception {
    String gateId = direction.equals("enter") ? "entrance" : "exit";
    TestGateway.command(cloud, "gate", "{\"gateId\":\"" + gateId + "\",\"direction\":\"" + direction
        + "\",\"customerToken\":\"" + token + "\"}");
  }

  private void awaitOpen(int n) {
    Poll.until(Duration.ofSeconds(30), () -> gw.host().agent() != null
        && gw.host().agent().checkout().openSessions() == n, n + " open visit(s)");
  }

  /** A signed payload with the (unsigned) maxWaitSeconds added to its envelope. */
  private byte[] withMaxWait(byte[] signed, Object seconds) throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(signed);
    n.set("maxWaitSeconds", JSON.valueToTree(seconds));
    return JSON.writeValueAsBytes(n);
  }

  private JsonNode eventOfType(String type) {
    return TestGateway.entries(cloud, "events").stream().filter(n -> type.equals(n.path("type").asText())).findFirst()
        .orElse(null);
  }

  @Test
  void anUpdateWaitsWhileShoppersAreInTheStoreAndIsAppliedWhenItEmpties() throws Exception {
    gate("enter", "c-1");
    awaitOpen(1);
    String next = TestGateway.yaml(broker.uri(), "{ scale: 1.0 }", "COLA-330");
    OutsideSubscriber.Received r = TestGateway.command(cloud, "config-update", signed("config", 1, next));
    assertThat(r.property("status")).as(r.text()).contains("ok");
    JsonNode b = body(r);
    assertThat(b.path("applied").asBoolean()).isFalse();
    assertThat(b.path("pending").asBoolean()).isTrue();
    assertThat(b.path("shoppersInside").asInt()).isEqualTo(1);
    assertThat(Instant.parse(b.path("applyBy").asText())).isAfter(Instant.now().plusSeconds(3000));
    assertThat(gw.host().config().lane("a2").orElseThrow().sku()).isEqualTo("ENRG-250");
    assertThat(Files.exists(storeFile.resolveSibling("store.yaml.pending-config-update.json"))).isTrue();
    JsonNode status = body(TestGateway.command(cloud, "outbox-status", "{}"));
    assertThat(status.path("commands").path("pendingUpdates")).hasSize(1);
    assertThat(status.path("commands").path("pendingUpdates").get(0).path("sequence").asLong()).isEqualTo(1);

    gate("exit", "c-1");
    Poll.until(Duration.ofSeconds(60), () -> gw.host().config().lane("a2").orElseThrow().sku().equals("COLA-330"),
        "the held update applied once the store emptied");
    Poll.until(Duration.ofSeconds(60), () -> eventOfType("update-applied") != null, "the outcome on events");
    JsonNode ev = eventOfType("update-applied");
    assertThat(ev.path("command").asText()).isEqualTo("config-update");
    assertThat(ev.path("sequence").asLong()).isEqualTo(1);
    assertThat(ev.path("shoppersInside").asInt()).isZero();
    assertThat(Files.readString(storeFile)).isEqualTo(next);
    assertThat(Files.exists(storeFile.resolveSibling("store.yaml.pending-config-update.json"))).isFalse();
    // its sequence is used up now
    assertThat(TestGateway.command(cloud, "config-update", signed("config", 1, next)).text()).contains("replayed");
  }

  @Test
  void anUpdateThatMayNotWaitIsAppliedAtOnceAndTheShopperInsideKeepsTheCart() throws Exception {
    gate("enter", "c-2");
    awaitOpen(1);
    String next = TestGateway.yaml(broker.uri(), "{ scale: 1.0 }", "COLA-330");
    OutsideSubscriber.Received r = TestGateway.command(cloud, "config-update", withMaxWait(signed("config", 1, next), 0));
    assertThat(r.property("status")).as(r.text()).contains("ok");
    assertThat(body(r).path("applied").asBoolean()).isTrue();
    assertThat(gw.host().config().lane("a2").orElseThrow().sku()).isEqualTo("COLA-330");
    // the visit went over to the new agent: the exit closes it with a receipt flagged for the restart
    awaitOpen(1);
    gate("exit", "c-2");
    Poll.until(Duration.ofSeconds(60), () -> TestGateway.entries(cloud, "receipts").stream()
        .anyMatch(x -> x.path("customerToken").asText().equals("c-2")), "c-2's receipt");
    JsonNode receipt = TestGateway.entries(cloud, "receipts").stream()
        .filter(x -> x.path("customerToken").asText().equals("c-2")).findFirst().orElseThrow();
    assertThat(receipt.path("reviewReasons").toString()).contains("agent-restarted");
  }

  @Test
  void aNewerUpdateReplacesTheOneWaitingAndAnOlderOneIsRefused() throws Exception {
    gate("enter", "c-3");
    awaitOpen(1);
    String first = TestGateway.yaml(broker.uri(), "{ scale: 1.0 }", "COLA-330");
    String second = TestGateway.yaml(broker.uri(), "{ scale: 1.0 }", "ENRG-250") + "checkout: { reviewThreshold: 0.9 }\n";
    assertThat(body(TestGateway.command(cloud, "config-update", signed("config", 2, first))).path("pending").asBoolean())
        .isTrue();
    JsonNode replaced = body(TestGateway.command(cloud, "config-update", signed("config", 3, second)));
    assertThat(replaced.path("replaces").asLong()).isEqualTo(2);
    OutsideSubscriber.Received older = TestGateway.command(cloud, "config-update", signed("config", 2, first));
    assertThat(older.property("status")).contains("error");
    assertThat(older.text()).contains("superseded");
    OutsideSubscriber.Received badWait = TestGateway.command(cloud, "config-update",
        withMaxWait(signed("config", 4, first), -5));
    assertThat(badWait.text()).contains("malformed").contains("maxWaitSeconds");

    // the gateway restarts while the update waits: the visit and the held update both outlive it
    gw.close();
    gw = TestGateway.start(storeFile, TrustedKeys.of(List.of(signing.getPublic())), Duration.ofSeconds(20));
    awaitOnline();
    awaitOpen(1);
    assertThat(gw.host().config().lane("a2").orElseThrow().sku()).isEqualTo("ENRG-250");
    gate("exit", "c-3");
    Poll.until(Duration.ofSeconds(60), () -> gw.host().config().checkout().reviewThreshold() == 0.9,
        "the newest held update applied after the restart, once the store emptied");
    assertThat(gw.host().config().lane("a2").orElseThrow().sku()).isEqualTo("ENRG-250");
    assertThat(gw.commands().rejectedCounts()).doesNotContainKey("replayed");
  }

  @Test
  void anInvalidConfigIsRefusedWithEveryProblemAndNothingChanges() throws Exception {
    String before = Files.readString(storeFile);
    String bad = TestGateway.yaml(broker.uri(), "{ scale: 1.0, volume: 11 }", "NO-SUCH-SKU");
    OutsideSubscriber.Received r = TestGateway.command(cloud, "config-update", signed("config", 1, bad));

    assertThat(r.property("status")).contains("error");
    assertThat(r.text()).contains("invalid").contains("volume").contains("NO-SUCH-SKU");
    assertThat(Files.readString(storeFile)).isEqualTo(before);
    assertThat(gw.commands().rejectedCounts()).containsEntry("invalid", 1L);
  }

  @Test
  void anUpdateThatLeavesADeviceSilentIsRolledBack() throws Exception {
    String before = Files.readString(storeFile);
    String dead = TestGateway.yaml(broker.uri(), "{ silent: true }", "ENRG-250");
    OutsideSubscriber.Received r = TestGateway.command(cloud, "config-update", signed("config", 7, dead));

    assertThat(r.property("status")).contains("error");
    assertThat(r.text()).contains("rolled-back").contains("cells-a").contains("after rolling back: healthy");
    assertThat(Files.readString(storeFile)).isEqualTo(before);
    assertThat(gw.commands().rolledBackUpdates()).isEqualTo(1);
    assertThat(UpdateTrial.markerFor(storeFile)).doesNotExist();
    long readings = gw.host().tap().okReadings("cells-a");
    Poll.until(Duration.ofSeconds(30), () -> gw.host().tap().okReadings("cells-a") > readings, "readings after rollback");
    // a rolled-back update used up its sequence
    OutsideSubscriber.Received replay = TestGateway.command(cloud, "config-update", signed("config", 7, dead));
    assertThat(replay.text()).contains("replayed");
  }

  @Test
  void anUpdateTheAgentStoppedOnBeforeItsHealthCheckEndedIsPutBackAtTheNextStart() throws Exception {
    String before = Files.readString(storeFile);
    Path overlay = Planogram.fileFor(storeFile);
    Files.writeString(overlay, "{\"lanes\":[{\"laneId\":\"a2\",\"sku\":\"COLA-330\"}]}");
    // a config-update switched in as the command does (its devices fall silent); the power goes mid-check
    gw.close();
    gw = null;
    UpdateTrial.begin(UpdateTrial.markerFor(storeFile), "config-update sequence 9", List.of(storeFile, overlay));
    AtomicFiles.replace(storeFile, TestGateway.yaml(broker.uri(), "{ silent: true }", "ENRG-250")
        .getBytes(StandardCharsets.UTF_8));
    AtomicFiles.remove(overlay);

    gw = TestGateway.start(storeFile, TrustedKeys.of(List.of(signing.getPublic())), Duration.ofSeconds(20));

    // the files that ran before, overlay and all, and the devices read again
    assertThat(Files.readString(storeFile)).isEqualTo(before);
    assertThat(overlay).exists();
    assertThat(gw.host().config().lane("a2").orElseThrow().sku()).isEqualTo("COLA-330");
    assertThat(UpdateTrial.markerFor(storeFile)).doesNotExist();
    assertThat(gw.host().awaitHealthy(Duration.ofSeconds(30)).healthy()).isTrue();
    Poll.until(Duration.ofSeconds(60), () -> TestGateway.entries(cloud, "events").stream()
        .anyMatch(e -> e.path("type").asText().equals("update-interrupted")
            && e.path("update").asText().equals("config-update sequence 9")), "an update-interrupted alert");
  }

  @Test
  void unsignedForgedUnknownKeyMalformedAndOversizedUpdatesAreRefusedAndCounted() throws Exception {
    String next = TestGateway.yaml(broker.uri(), "{ scale: 1.0 }", "COLA-330");
    JsonNode good = JSON.readTree(signed("config", 3, next));

    var unsigned = ((com.fasterxml.jackson.databind.node.ObjectNode) good.deepCopy()).put("signature", "");
    assertThat(TestGateway.command(cloud, "config-update", JSON.writeValueAsBytes(unsigned)).text()).contains("unsigned");

    // a higher sequence pasted onto a genuine signature
    var bumped = ((com.fasterxml.jackson.databind.node.ObjectNode) good.deepCopy()).put("sequence", 99);
    assertThat(TestGateway.command(cloud, "config-update", JSON.writeValueAsBytes(bumped)).text()).contains("bad-signature");

    // a different body under the genuine signature
    var swapped = ((com.fasterxml.jackson.databind.node.ObjectNode) good.deepCopy()).put("body",
        Base64.getEncoder().encodeToString("store: {}".getBytes(StandardCharsets.UTF_8)));
    assertThat(TestGateway.command(cloud, "config-update", JSON.writeValueAsBytes(swapped)).text()).contains("bad-signature");

    KeyPair stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] foreign = SignedUpdate.sign(stranger.getPrivate(), stranger.getPublic(), "config", 4, ISSUED,
        next.getBytes(StandardCharsets.UTF_8));
    assertThat(TestGateway.command(cloud, "config-update", foreign).text()).contains("unknown-key");

    assertThat(TestGateway.command(cloud, "config-update", "{not json").text()).contains("malformed");
    assertThat(TestGateway.command(cloud, "planogram-update", "[1,2]").text()).contains("malformed");

    // over the update limit (a 1 MiB store file, base64): refused by the command
    byte[] large = new byte[SignedUpdate.MAX_PAYLOAD_BYTES + 1];
    java.util.Arrays.fill(large, (byte) 'x');
    OutsideSubscriber.Received tooBig = TestGateway.command(cloud, "config-update", large);
    assertThat(tooBig.property("status")).contains("error");
    assertThat(tooBig.text()).contains("oversized");
    // over the uplink's limit for any command: refused before a handler sees it
    byte[] huge = new byte[org.storeedge.sync.mqtt.MqttUplink.MAX_COMMAND_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) 'x');
    OutsideSubscriber.Received big = TestGateway.command(cloud, "config-update", huge);
    assertThat(big.property("status")).contains("error");
    assertThat(big.text()).contains("too large");

    assertThat(gw.commands().rejectedCounts()).containsEntry("unsigned", 1L).containsEntry("bad-signature", 2L)
        .containsEntry("unknown-key", 1L).containsEntry("malformed", 2L);
    assertThat(gw.uplink().orElseThrow().stats().commandErrors()).isGreaterThanOrEqualTo(7);
    // the agent is unaffected and the genuine update still applies
    assertThat(TestGateway.command(cloud, "config-update", JSON.writeValueAsBytes(good)).property("status")).contains("ok");
  }

  @Test
  void aPlanogramUpdateReassignsALaneAndSurvivesARestart() throws Exception {
    String planogram = "{\"lanes\":[{\"laneId\":\"a2\",\"sku\":\"COLA-330\",\"capacity\":10}]}";
    OutsideSubscriber.Received r = TestGateway.command(cloud, "planogram-update", signed("planogram", 1, planogram));
    assertThat(r.property("status")).as(r.text()).contains("ok");
    assertThat(gw.host().config().lane("a2").orElseThrow().sku()).isEqualTo("COLA-330");
    assertThat(Files.exists(Planogram.fileFor(storeFile))).isTrue();

    OutsideSubscriber.Received bad = TestGateway.command(cloud, "planogram-update",
        signed("planogram", 2, "{\"lanes\":[{\"laneId\":\"zz\",\"sku\":\"NOPE\",\"capacity\":0}]}"));
    assertThat(bad.text()).contains("lanes[0].laneId").contains("lanes[0].sku").contains("lanes[0].capacity");

    gw.close();
    gw = TestGateway.start(storeFile, TrustedKeys.of(List.of(signing.getPublic())), Duration.ofSeconds(20));
    assertThat(gw.host().config().lane("a2").orElseThrow().sku()).isEqualTo("COLA-330");
    assertThat(gw.host().config().lane("a2").orElseThrow().capacity()).isEqualTo(10);
  }

  @Test
  void aPlanogramThatWouldFillALaneBeyondItsDevicesRatingIsRefused() throws Exception {
    awaitOnline();
    String rated = TestGateway.yaml(broker.uri(), "{ scale: 1.0, ratedGrams: 5000 }", "ENRG-250");
    assertThat(TestGateway.command(cloud, "config-update", signed("config", 1, rated)).property("status")).contains("ok");
    // 20 cans of 352 g on a lane of a device rated 5 kg
    OutsideSubscriber.Received r = TestGateway.command(cloud, "planogram-update",
        signed("planogram", 1, "{\"lanes\":[{\"laneId\":\"a2\",\"sku\":\"COLA-330\",\"capacity\":20}]}"));
    assertThat(r.property("status")).contains("error");
    assertThat(r.text()).contains("invalid").contains("ratedGrams").contains("lane a2 full reaches the rating");
    assertThat(gw.host().config().lane("a2").orElseThrow().sku()).isEqualTo("ENRG-250");
    assertThat(TestGateway.command(cloud, "planogram-update",
        signed("planogram", 2, "{\"lanes\":[{\"laneId\":\"a2\",\"sku\":\"COLA-330\",\"capacity\":12}]}"))
        .property("status")).contains("ok");
  }

  @Test
  void calibrationFromTheCommandLineReachesTheRunningAgentAndSurvivesARestart() throws Exception {
    // the fake device reads true load; a span claiming 1.25x the load must give gain 1.25
    double load = 12 * 352.0;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Poll.until(Duration.ofSeconds(30), () -> gw.host().tap().okReadings("cells-a") > 20, "readings");
    int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        "calibrate", "--config", storeFile.toString(), "--lane", "a1", "span", "--known-grams", String.valueOf(load * 1.25));
    assertThat(code).as(err.toString()).isZero();
    JsonNode reply = JSON.readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(reply.path("calibration").path("gain").asDouble()).isCloseTo(1.25, org.assertj.core.data.Offset.offset(0.001));

    gw.close();
    gw = TestGateway.start(storeFile, TrustedKeys.of(List.of(signing.getPublic())), Duration.ofSeconds(20));
    assertThat(gw.host().tap().calibrator().current("a1").gain()).isCloseTo(1.25, org.assertj.core.data.Offset.offset(0.001));

    // refused calibrations say why, and the CLI exits 1
    ByteArrayOutputStream err2 = new ByteArrayOutputStream();
    Poll.until(Duration.ofSeconds(60), () -> gw.uplink().orElseThrow().stats().connected(), "reconnected");
    int refused = Main.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err2, true, StandardCharsets.UTF_8),
        "calibrate", "--config", storeFile.toString(), "--lane", "a1", "span", "--known-grams", "5");
    assertThat(refused).isEqualTo(Main.FAILED);
    assertThat(err2.toString(StandardCharsets.UTF_8)).contains("calibration-failed").contains("gain");
  }

  @Test
  void forgetCustomerPurgesUnsentEntriesCarryingTheToken() throws Exception {
    gw.uplink().orElseThrow().stop(); // offline: entries stay unsent
    gw.outbox().append(Stream.RECEIPTS, "receipts", "r-1",
        "{\"receiptId\":\"r-1\",\"customerToken\":\"cust-42\"}".getBytes(StandardCharsets.UTF_8));
    gw.outbox().append(Stream.RECEIPTS, "receipts", "r-2",
        ("{\"receiptId\":\"r-2\",\"customerToken\":\"cust-43\",\"items\":[{\"evidence\":[{\"others\":"
            + "[{\"customerToken\":\"cust-42\",\"probability\":0.1}]}]}]}").getBytes(StandardCharsets.UTF_8));
    JsonNode b = JSON.readTree(gw.commands().handle("forget-customer",
        "{\"customerToken\":\"cust-42\"}".getBytes(StandardCharsets.UTF_8)));
    assertThat(b.path("outboxPurged").path("receipts").asInt()).isEqualTo(1);
    // another shopper's receipt that named them is kept, without their token
    assertThat(b.path("outboxRedacted").path("receipts").asInt()).as(b.toString()).isEqualTo(1);
    // the checkout was asked too: it held no open cart for this token
    assertThat(b.path("local").has("openSession")).as(b.toString()).isTrue();
    assertThat(b.path("local").path("openSession").asBoolean()).isFalse();
    Poll.until(Duration.ofSeconds(30), () -> gw.outbox().pendingCount() == 1, "one receipt left");
    List<OutboxEntry> left = gw.outbox().nextBatch(10);
    assertThat(left).extracting(OutboxEntry::key).containsExactly("r-2");
    JsonNode kept = JSON.readTree(left.get(0).payload());
    assertThat(kept.path("customerToken").asText()).isEqualTo("cust-43");
    assertThat(kept.at("/items/0/evidence/0/others/0/customerToken").asText()).isEqualTo("erased-customer");
    gw.outbox().giveBack(left.stream().map(OutboxEntry::seq).toList());
  }
}
