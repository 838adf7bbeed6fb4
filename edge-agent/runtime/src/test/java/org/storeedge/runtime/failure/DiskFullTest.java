package org.storeedge.runtime.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.core.outbox.Outbox;
import org.storeedge.core.outbox.Stream;
import org.storeedge.core.time.SystemScheduler;
import org.storeedge.sync.mqtt.MqttUplink;
import org.storeedge.sync.mqtt.UplinkOptions;
import org.storeedge.sync.outbox.OutboxAlarm;
import org.storeedge.sync.outbox.OutboxOptions;
import org.storeedge.sync.outbox.OutboxStorageException;
import org.storeedge.sync.outbox.SqliteOutbox;
import org.storeedge.sync.testing.MosquittoBroker;
import org.storeedge.sync.testing.OutsideSubscriber;

/**
 * The outbox on a real, tiny file system (a tmpfs mounted by the test; needs root, as CI runs):
 * telemetry is refused while space runs low and an alarm is raised, receipts are accepted until
 * the disk is truly full, and once space is freed everything accepted drains to the broker.
 */
class DiskFullTest {
  private static final long MIB = 1024 * 1024;

  @TempDir
  Path dir;

  private Path mountPoint;

  private static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  @BeforeEach
  void mountTinyFileSystem() throws Exception {
    if (!"root".equals(System.getProperty("user.name"))) {
      fail("DiskFullTest needs root: it mounts a 6 MiB tmpfs to fill a real disk (CI runs the suite as root)");
    }
    mountPoint = Files.createDirectories(dir.resolve("tiny"));
    run("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mountPoint.toString());
  }

  @AfterEach
  void unmount() throws Exception {
    if (mountPoint != null) {
      run("umount", mountPoint.toString());
    }
  }

  private static byte[] telemetry(int i) {
    return ("{\"type\":\"telemetry\",\"i\":" + i + ",\"pad\":\"" + "x".repeat(900) + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void receiptsAreAcceptedUntilTrulyFullTelemetryIsRefusedFirstAndAllDrainsOnceSpaceIsFreed() throws Exception {
    Path filler = mountPoint.resolve("filler.bin");
    Files.write(filler, new byte[(int) (2 * MIB)]); // other files on the same disk, deleted later
    OutboxOptions base = new OutboxOptions(1L << 30, InstantSource.system());
    OutboxOptions opts = base
        .withPolicy(Stream.TELEMETRY, base.policy(Stream.TELEMETRY).withMinFreeDiskBytes(MIB))
        .withPolicy(Stream.EVENTS, base.policy(Stream.EVENTS).withMinFreeDiskBytes(MIB / 2))
        .withPolicy(Stream.ALERTS, base.policy(Stream.ALERTS).withMinFreeDiskBytes(MIB / 4));
    Set<String> accepted = new TreeSet<>();
    int telemetryAccepted = 0;
    int telemetryRefused = 0;
    int receiptsAfterTelemetryRefused = 0;
    boolean alarmSeen = false;
    String diskFull = null;
    try (SqliteOutbox outbox = SqliteOutbox.open(mountPoint.resolve("agent.db"), opts)) {
      int i = 0;
      while (diskFull == null && i < 100_000) {
        String id = ReceiptLedger.id(i);
        try {
          outbox.append(Stream.RECEIPTS, "receipts", id, padded(id));
          accepted.add(id);
          if (telemetryRefused > 0) {
            receiptsAfterTelemetryRefused++;
          }
        } catch (OutboxStorageException e) {
          diskFull = e.getMessage();
        }
        try {
          outbox.append(Stream.TELEMETRY, "telemetry", "t-" + i, telemetry(i));
          telemetryAccepted++;
        } catch (Outbox.OutboxFullException e) {
          telemetryRefused++;
        } catch (OutboxStorageException e) {
          // the disk is full for telemetry as well
        }
        alarmSeen |= outbox.alarms().stream().anyMatch(a -> a.kind() == OutboxAlarm.Kind.DISK_NEARLY_FULL);
        i++;
      }
      assertThat(diskFull).as("the disk filled up").isNotNull().containsIgnoringCase("full");
      assertThat(telemetryRefused).as("telemetry refused before the disk was full").isPositive();
      assertThat(receiptsAfterTelemetryRefused).as("receipts still accepted after telemetry was refused").isPositive();
      assertThat(alarmSeen).as("disk-nearly-full alarm").isTrue();
      assertThat(outbox.stats().refusedLowDisk().get(Stream.TELEMETRY)).isEqualTo(telemetryRefused);
      System.out.printf("disk full after %d receipts; %d telemetry accepted, %d refused; %d receipts after the first refusal%n",
          accepted.size(), telemetryAccepted, telemetryRefused, receiptsAfterTelemetryRefused);

      // space comes back: appends work again and everything accepted drains
      Files.delete(filler);
      String late = ReceiptLedger.id(200_000);
      outbox.append(Stream.RECEIPTS, "receipts", late, padded(late));
      accepted.add(late);
      try (MosquittoBroker broker = ReceiptLedger.broker(dir.resolve("mosquitto"), false);
          OutsideSubscriber cloud = new OutsideSubscriber(broker.uri(), "cloud", ReceiptLedger.PREFIX + "receipts");
          SystemScheduler timers = new SystemScheduler("uplink-timers")) {
        MqttUplink up = new MqttUplink(outbox, UplinkOptions.plain(List.of(broker.uri()), "fail-001-gw-01",
            ReceiptLedger.PREFIX), timers);
        up.start();
        try {
          assertThat(up.awaitDrained(Duration.ofSeconds(100))).as("drained after space was freed").isTrue();
          List<String> ids = new ArrayList<>(accepted);
          assertThat(ids).isNotEmpty();
          checkDelivered(cloud, accepted);
        } finally {
          up.stop();
        }
      }
    }
  }

  private static void checkDelivered(OutsideSubscriber cloud, Set<String> accepted) throws Exception {
    Set<String> allowed = new TreeSet<>(accepted);
    ReceiptLedger.assertAllDelivered(List.of(cloud), accepted, allowed, Duration.ofSeconds(60));
  }

  /** A receipt padded to about 1 KiB, like one with a few lines. */
  private static byte[] padded(String id) {
    String json = new String(ReceiptLedger.payload(id), StandardCharsets.UTF_8);
    return (json.substring(0, json.length() - 1) + ",\"pad\":\"" + "y".repeat(800) + "\"}").getBytes(StandardCharsets.UTF_8);
  }
}
