package org.storeedge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.sync.testing.MosquittoBroker;
import org.storeedge.sync.testing.OutsideSubscriber;
import org.storeedge.sync.testing.Poll;

/**
 * The whole product through its command line: a scenario on virtual time, the real agent, the
 * SQLite outbox and a real Mosquitto, checked by an outside subscriber.
 */
class SimulateEndToEndTest {
  private static final String CONFIG = Path.of("../../config/examples/demo-store.yaml").toString();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private MosquittoBroker broker;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void startBroker() throws Exception {
    broker = MosquittoBroker.start(dir.resolve("mosquitto"));
  }

  @AfterEach
  void stopBroker() {
    broker.close();
  }

  private int cli(String... args) {
    return Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        args);
  }

  @Test
  void singleShopperScenarioGivesExactReceiptsDeliveredToTheBroker() throws Exception {
    try (OutsideSubscriber cloud = new OutsideSubscriber(broker.uri(), "cloud", "storeedge/v1/demo-001/gw-01/#")) {
      Path report = dir.resolve("report.json");
      int code = cli("simulate", "--config", CONFIG, "--scenario", "single-shopper", "--report", report.toString(),
          "--broker", broker.uri(), "--work-dir", dir.resolve("work").toString());
      assertThat(code).as(err.toString()).isZero();

      JsonNode r = JSON.readTree(report.toFile());
      JsonNode score = r.path("score");
      assertThat(score.path("customers").asInt()).isGreaterThan(0);
      assertThat(score.path("f1").asDouble()).as(score.toString()).isEqualTo(1.0);
      assertThat(score.path("exactReceipts").asInt()).isEqualTo(score.path("customers").asInt());
      assertThat(r.path("undelivered").asLong()).isZero();

      // the cloud sees every receipt, each once per receiptId, with the contract's fields
      int expected = r.path("receipts").size();
      Poll.until(Duration.ofSeconds(60), () -> cloud.on("storeedge/v1/demo-001/gw-01/receipts").size() >= expected,
          "all receipts at the outside subscriber");
      List<OutsideSubscriber.Received> got = cloud.on("storeedge/v1/demo-001/gw-01/receipts");
      Set<String> ids = new HashSet<>();
      for (OutsideSubscriber.Received m : got) {
        JsonNode receipt = JSON.readTree(m.text());
        ids.add(receipt.path("receiptId").asText());
        assertThat(m.property("idempotency-key")).contains(receipt.path("receiptId").asText());
        for (String field : List.of("receiptId", "storeId", "gatewayId", "customerToken", "enteredAt", "exitedAt",
            "items", "total", "currency", "needsReview", "reviewReasons")) {
          assertThat(receipt.has(field)).as(field).isTrue();
        }
      }
      assertThat(ids).hasSize(expected);
      assertThat(cloud.on("storeedge/v1/demo-001/gw-01/events")).isNotEmpty();
    }
  }

  @Test
  void aStoreWithAWarningIsSimulatedWithTheWarningLoggedOnce() throws Exception {
    Path store = StoreFileWarningsTest.demoStoreWithAGateOnAShelf(dir);
    Path report = dir.resolve("report.json");
    try (StoreFileLog log = new StoreFileLog()) {
      int code = cli("simulate", "--config", store.toString(), "--scenario", "single-shopper", "--report",
          report.toString(), "--broker", broker.uri(), "--work-dir", dir.resolve("work").toString());
      assertThat(code).as(err.toString()).isZero();
      assertThat(log.warnings()).containsExactly(StoreFileWarningsTest.gateOnAShelfWarning(store));
    }
    assertThat(JSON.readTree(report.toFile()).path("score").path("customers").asInt()).isGreaterThan(0);
  }

  @Test
  void generatedSingleShopperTrafficIsScoredAgainstGroundTruth() throws Exception {
    Path scenario = dir.resolve("gen.yaml");
    Files.writeString(scenario, """
        seed: 20261125
        generated:
          shoppersPerHour: 90
          durationSeconds: 1200
          meanItems: 3
          putBackProbability: 0.15
          overlap: false
        """);
    Path report = dir.resolve("gen-report.json");
    int code = cli("simulate", "--config", CONFIG, "--scenario", scenario.toString(), "--report", report.toString(),
        "--broker", broker.uri(), "--work-dir", dir.resolve("work2").toString());
    assertThat(code).as(err.toString()).isZero();
    JsonNode r = JSON.readTree(report.toFile());
    assertThat(r.path("score").path("customers").asInt()).isGreaterThan(10);
    assertThat(r.path("score").path("f1").asDouble()).as(r.path("score").toString()).isGreaterThanOrEqualTo(0.99);
    assertThat(r.path("score").path("silentWrongUnits").asInt()).as(r.path("score").toString()).isZero();
    assertThat(r.path("events").path("recall").asDouble()).as(r.path("events").toString()).isGreaterThanOrEqualTo(0.99);
    assertThat(r.path("groundTruth").size()).isEqualTo(r.path("score").path("customers").asInt());
  }

  @Test
  void anUnreachableBrokerEndsWithExitCodeThreeAndSaysHowMuchIsUndelivered() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path report = dir.resolve("r3.json");
    int code = cli("simulate", "--config", CONFIG, "--scenario", "single-shopper", "--report", report.toString(),
        "--broker", "tcp://127.0.0.1:" + port, "--drain-timeout", "3s", "--work-dir", dir.resolve("work3").toString());
    assertThat(code).isEqualTo(3);
    assertThat(err.toString()).containsPattern("\\d+ messages still undelivered");
    // nothing was lost: the receipts wait in the outbox for the next run
    assertThat(JSON.readTree(report.toFile()).path("undelivered").asLong()).isGreaterThan(0);
    assertThat(Files.size(dir.resolve("work3").resolve("storeedge.db"))).isGreaterThan(0);
  }

  @Test
  void aBrokenScenarioIsBadInputWithLocations() throws Exception {
    Path scenario = dir.resolve("bad.yaml");
    Files.writeString(scenario, """
        seed: 1
        shoppers:
          - token: a
            enterAt: 5
            exitAt: 60
            actions:
              - { at: 12, take: zz9, qty: 1 }
        """);
    int code = cli("simulate", "--config", CONFIG, "--scenario", scenario.toString(), "--report",
        dir.resolve("x.json").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("bad.yaml:7:").contains("zz9");
  }
}
