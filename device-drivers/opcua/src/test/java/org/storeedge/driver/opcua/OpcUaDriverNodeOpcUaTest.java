package org.storeedge.driver.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.storeedge.driver.opcua.RecordingSink.ok;
import static org.storeedge.driver.opcua.RecordingSink.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.core.device.ReadingStatus;
import org.storeedge.core.device.WeightReading;
import org.storeedge.core.time.SystemScheduler;

/**
 * The driver against an independent OPC UA implementation: a node-opcua 2.186.4 server started
 * by the test as a child process ({@code npm ci --prefix device-drivers/opcua/src/test/node} must
 * have run; the test fails, not skips, when it has not). Its variables live in ns=1.
 */
class OpcUaDriverNodeOpcUaTest {
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final String V1 = Devices.VARIABLES.get(0);
  private static final String V2 = Devices.VARIABLES.get(1);
  private static final String V3 = Devices.VARIABLES.get(2);

  @TempDir static Path shared;
  private static Path clientPki;
  private static NodeOpcUaPeer peer;

  @TempDir Path dir;
  private SystemScheduler scheduler;
  private OpcUaWeightDriver driver;
  private final RecordingSink sink = new RecordingSink();

  @BeforeAll
  static void startPeer() throws Exception {
    NodeOpcUaPeer.requireInstalled();
    clientPki = shared.resolve("client-pki");
    ClientIdentity.generated(clientPki, "shelf-node");
    peer = NodeOpcUaPeer.start(MiloTestServer.freePort(), shared.resolve("server-pki"),
        clientPki.resolve(ClientIdentity.GENERATED_CERT_DER), PATIENCE);
  }

  @AfterAll
  static void stopPeer() throws Exception {
    if (peer != null) {
      peer.close();
    }
  }

  @BeforeEach
  void scheduler() {
    scheduler = new SystemScheduler("test-scheduler");
  }

  @AfterEach
  void stopDriver() {
    if (driver != null) {
      driver.stop();
    }
    scheduler.close();
  }

  private OpcUaWeightDriver driver(String endpoint, Object... more) {
    Map<String, Object> settings = Devices.settings(endpoint, more);
    settings.put("nodes", Devices.nodes(1));
    return new OpcUaDriverFactory().createDriver(Devices.device("shelf-node", settings), Devices.lanes(), scheduler, sink);
  }

  @Test
  void readingsArriveForEveryLaneWithTheWrittenValues() throws Exception {
    peer.set(V1, 1000.5, PATIENCE);
    peer.set(V2, 2000.25, PATIENCE);
    peer.set(V3, 3000.0, PATIENCE);
    driver = driver(peer.endpointUrl());
    driver.start();
    sink.await("l1 = 1000.5", ok("l1", 1000.5), PATIENCE);
    sink.await("l2 = 2000.25", ok("l2", 2000.25), PATIENCE);
    sink.await("l3 = 3000", ok("l3", 3000.0), PATIENCE);

    peer.set(V1, 950.0, PATIENCE);
    sink.await("l1 = 950", ok("l1", 950.0), PATIENCE);
    peer.bad(V2, "BadSensorFailure", PATIENCE);
    sink.await("l2 INVALID", status("l2", ReadingStatus.INVALID), PATIENCE);
    peer.set(V2, 1990.0, PATIENCE);
    sink.await("l2 = 1990", ok("l2", 1990.0), PATIENCE);

    assertThat(sink.lane("l1")).allMatch(r -> r.status().ok());
    assertThat(sink.lane("l3")).allMatch(r -> r.status().ok());
    assertThat(driver.stats().subscriptionsCreated()).isEqualTo(1);
  }

  @Test
  void basic256Sha256SignAndEncryptWithUserName() throws Exception {
    Path trusted = Files.createDirectories(dir.resolve("trusted"));
    Files.copy(peer.serverCertificate(), trusted.resolve("node-opcua-server.der"));
    Path pw = Files.writeString(dir.resolve("pw"), NodeOpcUaPeer.PASSWORD + "\n");
    peer.set(V3, 42.0, PATIENCE);
    driver = driver(peer.endpointUrl(), "securityPolicy", "Basic256Sha256", "securityMode", "SignAndEncrypt",
        "certificateDir", clientPki.toString(), "trustedServerCertificates", trusted.toString(),
        "username", "shelf-reader", "passwordFile", pw.toString());
    driver.start();
    sink.await("l3 = 42 over Basic256Sha256", ok("l3", 42.0), PATIENCE);
    peer.set(V3, 43.0, PATIENCE);
    sink.await("l3 = 43", ok("l3", 43.0), PATIENCE);
    assertThat(driver.stats().connectFailures()).isZero();
  }

  @Test
  void aRestartOfTheServerIsReportedAndDeliveryResumesWithoutDuplicates() throws Exception {
    int port = MiloTestServer.freePort();
    NodeOpcUaPeer own = NodeOpcUaPeer.start(port, dir.resolve("pki"), null, PATIENCE);
    try {
      own.set(V1, 10.0, PATIENCE);
      driver = driver(own.endpointUrl());
      driver.start();
      sink.await("l1 = 10", ok("l1", 10.0), PATIENCE);
      own.set(V1, 11.0, PATIENCE);
      sink.await("l1 = 11", ok("l1", 11.0), PATIENCE);

      own.close();
      for (String lane : Devices.LANES) {
        sink.await(lane + " DISCONNECTED", status(lane, ReadingStatus.DISCONNECTED), PATIENCE);
      }
      own = NodeOpcUaPeer.start(port, dir.resolve("pki"), null, PATIENCE);
      own.set(V1, 12.0, PATIENCE);
      sink.await("l1 = 12 after the restart", ok("l1", 12.0), PATIENCE);

      List<WeightReading> l1 = sink.lane("l1");
      assertThat(l1.stream().filter(r -> r.status() == ReadingStatus.DISCONNECTED).count()).isEqualTo(1);
      for (int i = 1; i < l1.size(); i++) {
        assertThat(l1.get(i).atMillis()).as("time order: %s", l1).isGreaterThanOrEqualTo(l1.get(i - 1).atMillis());
      }
      // 10 and 11 once each before the cut; after it the server starts at 0, then 12.
      List<Double> okValues = l1.stream().filter(r -> r.status().ok()).map(WeightReading::grams).toList();
      assertThat(okValues.subList(0, 2)).containsExactly(10.0, 11.0);
      assertThat(okValues).doesNotHaveDuplicates();
      assertThat(okValues.get(okValues.size() - 1)).isEqualTo(12.0);
      assertThat(driver.stats().subscriptionsCreated()).isEqualTo(2);
    } finally {
      driver.stop();
      driver = null;
      own.close();
    }
  }
}
