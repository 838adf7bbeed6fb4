package org.storeedge.driver.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.storeedge.driver.opcua.RecordingSink.ok;
import static org.storeedge.driver.opcua.RecordingSink.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.core.device.ReadingStatus;
import org.storeedge.core.device.WeightReading;
import org.storeedge.core.time.SystemScheduler;
import org.storeedge.core.time.VirtualScheduler;

/** The driver against a real Milo server in this JVM, on a free loopback port. */
class OpcUaDriverMiloServerTest {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final String V1 = Devices.VARIABLES.get(0);
  private static final String V2 = Devices.VARIABLES.get(1);
  private static final String V3 = Devices.VARIABLES.get(2);

  @TempDir Path dir;
  private MiloTestServer server;
  private SystemScheduler scheduler;
  private OpcUaWeightDriver driver;
  private final RecordingSink sink = new RecordingSink();

  @BeforeEach
  void startServer() throws Exception {
    server = new MiloTestServer(MiloTestServer.freePort(), Devices.VARIABLES, true);
    server.start();
    scheduler = new SystemScheduler("test-scheduler");
  }

  @AfterEach
  void stopAll() throws Exception {
    if (driver != null) {
      driver.stop();
    }
    server.close();
    scheduler.close();
  }

  private OpcUaWeightDriver driver(Map<String, Object> settings) {
    return new OpcUaDriverFactory().createDriver(Devices.device("shelf-1", settings), Devices.lanes(), scheduler, sink);
  }

  @Test
  void readingsArriveForEveryLaneWithTheWrittenValues() throws Exception {
    server.write(V1, 1250.5);
    server.write(V2, 80.0);
    server.write(V3, 0.0);
    driver = driver(Devices.settings(server.endpointUrl()));
    driver.start();

    sink.await("l1 = 1250.5", ok("l1", 1250.5), PATIENCE);
    sink.await("l2 = 80", ok("l2", 80.0), PATIENCE);
    sink.await("l3 = 0", ok("l3", 0.0), PATIENCE);

    int mark = sink.size();
    server.write(V2, 432.25);
    WeightReading r = sink.awaitFrom(mark, "l2 = 432.25", ok("l2", 432.25), PATIENCE);
    assertThat(r.atMillis()).as("source timestamp, epoch ms").isGreaterThan(Instant.parse("2024-01-01T00:00:00Z").toEpochMilli());

    assertThat(sink.all()).allMatch(x -> x.status() == ReadingStatus.OK);
    assertThat(driver.stats().subscriptionsCreated()).isEqualTo(1);
    assertThat(driver.stats().connectFailures()).isZero();
  }

  @Test
  void kilogramsAreScaledToGrams() throws Exception {
    server.write(V1, 1.5);
    driver = driver(Devices.settings(server.endpointUrl(), "unit", "kilograms"));
    driver.start();
    sink.await("l1 = 1500 g", ok("l1", 1500.0), PATIENCE);
  }

  @Test
  void serverRestartGivesDisconnectedOnceThenNewValuesWithoutDuplicates() throws Exception {
    server.write(V1, 100.0);
    server.write(V2, 200.0);
    server.write(V3, 300.0);
    driver = driver(Devices.settings(server.endpointUrl()));
    driver.start();
    sink.await("l1 = 100", ok("l1", 100.0), PATIENCE);
    sink.await("l3 = 300", ok("l3", 300.0), PATIENCE);
    sink.await("l2 = 200", ok("l2", 200.0), PATIENCE);
    server.write(V1, 101.0);
    sink.await("l1 = 101", ok("l1", 101.0), PATIENCE);

    server.stop();
    for (String lane : Devices.LANES) {
      sink.await(lane + " DISCONNECTED", status(lane, ReadingStatus.DISCONNECTED), PATIENCE);
    }

    // Same port, same certificate, same last values (with their old source timestamps).
    server.start();
    int mark = sink.size();
    // The unchanged values come back once, as the lanes' recovery readings.
    for (String lane : Devices.LANES) {
      sink.awaitFrom(mark, lane + " OK again", status(lane, ReadingStatus.OK), PATIENCE);
    }
    server.write(V1, 102.0);
    server.write(V2, 202.0);
    sink.await("l1 = 102 after restart", ok("l1", 102.0), PATIENCE);
    sink.await("l2 = 202 after restart", ok("l2", 202.0), PATIENCE);

    for (String lane : Devices.LANES) {
      List<WeightReading> rs = sink.lane(lane);
      assertThat(rs.stream().filter(r -> r.status() == ReadingStatus.DISCONNECTED).count())
          .as("DISCONNECTED readings of %s: %s", lane, rs).isEqualTo(1);
      for (int i = 1; i < rs.size(); i++) {
        assertThat(rs.get(i).atMillis()).as("time order of %s: %s", lane, rs).isGreaterThanOrEqualTo(rs.get(i - 1).atMillis());
      }
    }
    // No value delivered twice while its lane was OK: l1 saw 100, 101, (lost), 101 once as recovery, 102.
    List<Double> l1 = sink.lane("l1").stream().filter(r -> r.status().ok()).map(WeightReading::grams).toList();
    assertThat(l1).containsExactly(100.0, 101.0, 101.0, 102.0);
    List<Double> l3 = sink.lane("l3").stream().filter(r -> r.status().ok()).map(WeightReading::grams).toList();
    assertThat(l3).containsExactly(300.0, 300.0);

    OpcUaWeightDriver.Stats st = driver.stats();
    assertThat(st.subscriptionsCreated()).as("subscription re-created after the restart").isEqualTo(2);
    assertThat(st.sessionsLost()).isEqualTo(1);
    assertThat(st.sessionsActivated()).isEqualTo(2);
  }

  @Test
  void aNetworkCutKeepsTheSubscriptionAndBringsEveryLaneBackWithoutDuplicates() throws Exception {
    server.write(V1, 1.0);
    server.write(V2, 2.0);
    server.write(V3, 3.0);
    try (TcpProxy proxy = new TcpProxy(server.port)) {
      // The endpoint names the proxy; the server behind it stays up.
      driver = driver(Devices.settings("opc.tcp://127.0.0.1:" + proxy.port() + MiloTestServer.PATH));
      driver.start();
      for (int i = 0; i < 3; i++) {
        sink.await("l" + (i + 1) + " first value", ok("l" + (i + 1), i + 1.0), PATIENCE);
      }
      server.write(V1, 1.5);
      sink.await("l1 = 1.5", ok("l1", 1.5), PATIENCE);

      proxy.cut();
      for (String lane : Devices.LANES) {
        sink.await(lane + " DISCONNECTED", status(lane, ReadingStatus.DISCONNECTED), PATIENCE);
      }
      int mark = sink.size();
      // l2 and l3 do not change: they come back OK by themselves; l1 changes.
      for (String lane : Devices.LANES) {
        sink.awaitFrom(mark, lane + " OK again", status(lane, ReadingStatus.OK), PATIENCE);
      }
      server.write(V1, 1.75);
      sink.await("l1 = 1.75", ok("l1", 1.75), PATIENCE);

      assertThat(driver.stats().subscriptionsCreated()).as("the subscription survived on the server").isEqualTo(1);
      assertThat(driver.stats().sessionsLost()).isEqualTo(1);
      assertThat(sink.lane("l1").stream().filter(r -> r.status().ok()).map(WeightReading::grams).toList())
          .containsExactly(1.0, 1.5, 1.5, 1.75);
      assertThat(sink.lane("l2")).extracting(WeightReading::status)
          .containsExactly(ReadingStatus.OK, ReadingStatus.DISCONNECTED, ReadingStatus.OK);
      assertThat(sink.lane("l3")).extracting(WeightReading::status)
          .containsExactly(ReadingStatus.OK, ReadingStatus.DISCONNECTED, ReadingStatus.OK);
    }
  }

  @Test
  void badStatusAndNanGiveFaultReadingsForThatLaneAndTheDriverKeepsRunning() throws Exception {
    server.write(V1, 10.0);
    server.write(V2, 20.0);
    server.write(V3, 30.0);
    driver = driver(Devices.settings(server.endpointUrl()));
    driver.start();
    sink.await("l1 = 10", ok("l1", 10.0), PATIENCE);

    server.write(V1, 11.0, new StatusCode(StatusCodes.Bad_SensorFailure));
    sink.await("l1 INVALID (bad status)", status("l1", ReadingStatus.INVALID), PATIENCE);
    server.write(V1, 12.0);
    sink.await("l1 = 12", ok("l1", 12.0), PATIENCE);

    server.write(V2, Double.NaN, StatusCode.GOOD);
    sink.await("l2 INVALID (NaN)", status("l2", ReadingStatus.INVALID), PATIENCE);
    server.write(V2, "not a number", StatusCode.GOOD);
    int mark = sink.size();
    server.write(V3, 31.0);
    sink.awaitFrom(mark, "l3 = 31", ok("l3", 31.0), PATIENCE);
    server.write(V3, 32.0, new StatusCode(StatusCodes.Bad_NoCommunication));
    sink.await("l3 DISCONNECTED (server lost the scale)", status("l3", ReadingStatus.DISCONNECTED), PATIENCE);
    server.write(V2, 21.0);
    sink.await("l2 = 21", ok("l2", 21.0), PATIENCE);

    assertThat(sink.lane("l1").stream().filter(r -> !r.status().ok()).count()).isEqualTo(1);
    assertThat(driver.stats().faultReadings()).isGreaterThanOrEqualTo(3);
    assertThat(driver.connected()).isTrue();
    assertThat(driver.stats().subscriptionsCreated()).isEqualTo(1);
  }

  @Test
  void unknownNodeMakesOnlyThatLaneInvalid() throws Exception {
    server.write(V1, 5.0);
    Map<String, Object> nodes = new HashMap<>(Devices.nodes(2));
    nodes.put("lane3", "ns=2;s=Shelf1.NoSuchLane.WeightGrams");
    driver = driver(Devices.settings(server.endpointUrl(), "nodes", nodes));
    driver.start();
    sink.await("l3 INVALID", status("l3", ReadingStatus.INVALID), PATIENCE);
    sink.await("l1 = 5", ok("l1", 5.0), PATIENCE);
    assertThat(sink.lane("l1")).allMatch(r -> r.status().ok());
  }

  @Test
  void basic256Sha256SignAndEncryptWithUserName() throws Exception {
    Path certDir = dir.resolve("pki");
    Path trusted = Files.createDirectories(dir.resolve("trusted"));
    Files.write(trusted.resolve("shelf-server.der"), MiloTestServer.certificate().getEncoded());
    Path pw = Files.writeString(dir.resolve("opcua.pw"), MiloTestServer.PASSWORD + "\n");
    // The client certificate is generated on first start; the server must trust it, so make it first.
    server.trustClient(ClientIdentity.generated(certDir, "shelf-1").certificate());
    server.stop();
    server.start();

    driver = driver(Devices.settings(server.endpointUrl(),
        "securityPolicy", "Basic256Sha256", "securityMode", "SignAndEncrypt",
        "certificateDir", certDir.toString(), "trustedServerCertificates", trusted.toString(),
        "username", MiloTestServer.USER, "passwordFile", pw.toString()));
    server.write(V1, 777.0);
    driver.start();
    sink.await("l1 = 777 over an encrypted channel", ok("l1", 777.0), PATIENCE);
    server.write(V3, 3.5);
    sink.await("l3 = 3.5", ok("l3", 3.5), PATIENCE);
    assertThat(server.loginAttempts()).contains(MiloTestServer.USER);
    assertThat(Files.isRegularFile(certDir.resolve(ClientIdentity.GENERATED_CERT_DER))).isTrue();
  }

  @Test
  void anUntrustedServerCertificateIsRefusedAndKeptForTheOperator() throws Exception {
    Path certDir = dir.resolve("pki");
    server.trustClient(ClientIdentity.generated(certDir, "shelf-1").certificate());
    server.stop();
    server.start();
    VirtualScheduler virtual = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    driver = new OpcUaDriverFactory().createDriver(Devices.device("shelf-1", Devices.settings(server.endpointUrl(),
        "securityPolicy", "Basic256Sha256", "certificateDir", certDir.toString())), Devices.lanes(), virtual, sink);
    driver.start();

    awaitFailures(virtual, 1);
    assertThat(driver.stats().lastError()).contains("secure connection").contains("rejected");
    try (var files = Files.list(certDir.resolve("rejected"))) {
      assertThat(files.count()).as("rejected server certificate written for the operator").isPositive();
    }
    for (String lane : Devices.LANES) {
      assertThat(sink.lane(lane)).extracting(WeightReading::status).containsExactly(ReadingStatus.DISCONNECTED);
    }
  }

  @Test
  void aWrongPasswordIsAClearFaultAndIsRetriedSlowly() throws Exception {
    MiloTestServer locked = new MiloTestServer(MiloTestServer.freePort(), Devices.VARIABLES, false);
    locked.start();
    try {
      Path pw = Files.writeString(dir.resolve("opcua.pw"), "not-the-password\n");
      VirtualScheduler virtual = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
      driver = new OpcUaDriverFactory().createDriver(Devices.device("shelf-1", Devices.settings(locked.endpointUrl(),
          "username", MiloTestServer.USER, "passwordFile", pw.toString())), Devices.lanes(), virtual, sink);
      driver.start();

      awaitFailures(virtual, 1);
      OpcUaWeightDriver.Stats st = driver.stats();
      assertThat(st.lastError()).contains("rejected the login").contains(MiloTestServer.USER).contains("Bad_UserAccessDenied");
      for (String lane : Devices.LANES) {
        assertThat(sink.lane(lane)).extracting(WeightReading::status).containsExactly(ReadingStatus.DISCONNECTED);
      }

      // Nothing is retried before the 30 s back-off has passed on the driver's clock ...
      virtual.advance(OpcUaWeightDriver.MAX_RETRY.minusSeconds(1));
      assertThat(driver.stats().connectAttempts()).isEqualTo(1);
      assertThat(locked.loginAttempts()).hasSize(1);
      // ... and then exactly once more, with the lanes still reported once.
      virtual.advance(Duration.ofSeconds(1));
      awaitFailures(virtual, 2);
      assertThat(driver.stats().connectAttempts()).isEqualTo(2);
      assertThat(locked.loginAttempts()).hasSize(2);
      assertThat(sink.all()).hasSize(Devices.LANES.size());
    } finally {
      if (driver != null) {
        driver.stop();
        driver = null;
      }
      locked.close();
    }
  }

  @Test
  void stopEndsTheSessionAndStartConnectsAgain() throws Exception {
    server.write(V1, 1.0);
    driver = driver(Devices.settings(server.endpointUrl()));
    driver.start();
    sink.await("l1 = 1", ok("l1", 1.0), PATIENCE);
    driver.stop();
    assertThat(driver.connected()).isFalse();
    int mark = sink.size();
    driver.start();
    server.write(V1, 2.0);
    sink.awaitFrom(mark, "l1 = 2 after restart of the driver", ok("l1", 2.0), PATIENCE);
    Map<ReadingStatus, Long> byStatus = sink.all().stream().collect(Collectors.groupingBy(WeightReading::status, Collectors.counting()));
    assertThat(byStatus).containsOnlyKeys(ReadingStatus.OK);
  }

  /** Drives the virtual clock (connection work runs on the driver's thread) until {@code n} failures. */
  private void awaitFailures(VirtualScheduler virtual, long n) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (driver.stats().connectFailures() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no connection failure #" + n + " within " + PATIENCE + ": " + driver.stats());
      }
      virtual.runUntil(virtual.instant()); // runs what the driver handed to the scheduler
      synchronized (this) {
        wait(20); // polling a real network peer's outcome
      }
    }
    virtual.runUntil(virtual.instant()); // let the retry be scheduled
  }
}
