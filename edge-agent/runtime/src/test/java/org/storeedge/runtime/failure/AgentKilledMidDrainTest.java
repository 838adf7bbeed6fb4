package org.storeedge.runtime.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.sync.testing.MosquittoBroker;
import org.storeedge.sync.testing.OutsideSubscriber;
import org.storeedge.sync.testing.Poll;

/**
 * A process-level crash: the producer and uplink run in a child JVM that is killed with SIGKILL
 * while it appends and drains; a second child on the same database must deliver every receipt
 * the first one had acknowledged to its producer.
 */
class AgentKilledMidDrainTest {
  @TempDir
  Path dir;

  /** A child JVM running {@link ReceiptProducerMain}; stdout lines collected as they come. */
  private static final class Child {
    final Process process;
    final Set<String> acked = new ConcurrentSkipListSet<>();
    final List<String> lines = new CopyOnWriteArrayList<>();

    Child(Path dir, String name, Path db, String broker, int from, int to) throws IOException {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
          ReceiptProducerMain.class.getName(), db.toString(), broker, String.valueOf(from), String.valueOf(to));
      pb.redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".stderr").toFile()));
      process = pb.start();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            if (line.startsWith("ACK ")) {
              acked.add(line.substring(4));
            } else {
              lines.add(line);
            }
          }
        } catch (IOException e) {
          // the process died: that is the point
        }
      }, "child-" + name);
      reader.setDaemon(true);
      reader.start();
    }
  }

  private static long rowsOnDisk(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM entries")) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  @Test
  void everyReceiptAcknowledgedBeforeSigkillIsDeliveredAfterRestart() throws Exception {
    try (MosquittoBroker broker = ReceiptLedger.broker(dir.resolve("mosquitto"), false);
        OutsideSubscriber cloud = new OutsideSubscriber(broker.uri(), "cloud", ReceiptLedger.PREFIX + "receipts");
        FaultProxy wan = new FaultProxy(broker.port())) {
      wan.setLatencyMillis(20); // a WAN-like link: the drain trails the appends, so the kill lands mid-drain
      Path db = dir.resolve("agent.db");
      int n = 6000;
      Child first = new Child(dir, "first", db, wan.uri(), 0, n);
      // kill while it appends and drains: some receipts delivered, more acknowledged (on a machine
      // that appends much faster than the slow link drains, at half the appends, once any is out)
      Poll.until(Duration.ofSeconds(90), () -> {
        int acked = first.acked.size();
        int delivered = cloud.on(ReceiptLedger.PREFIX + "receipts").size();
        return acked >= 1500 && delivered >= 300 || acked >= n / 2 && delivered >= 1 || !first.process.isAlive();
      }, () -> "the first child to acknowledge 1500 receipts and deliver 300, or acknowledge " + n / 2
          + " and deliver one (lines: " + first.lines + ")");
      first.process.destroyForcibly(); // SIGKILL
      assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(first.process.exitValue()).as("killed, not finished: " + first.lines).isNotZero();
      Set<String> ackedBeforeKill = Set.copyOf(first.acked);
      int deliveredAtKill = ReceiptLedger.receivedIds(List.of(cloud)).size();
      long onDiskAfterKill = rowsOnDisk(db);
      System.out.printf("SIGKILL after %d acknowledged appends, %d delivered, %d rows left on disk%n",
          ackedBeforeKill.size(), deliveredAtKill, onDiskAfterKill);
      assertThat(ackedBeforeKill.size()).isLessThan(n);
      assertThat(onDiskAfterKill).as("undelivered receipts on disk at the kill (mid-drain)").isPositive();
      wan.setLatencyMillis(0);

      Child second = new Child(dir, "second", db, wan.uri(), n, n); // restart on the same database: drain only
      assertThat(second.process.waitFor(110, TimeUnit.SECONDS)).as("second child finished").isTrue();
      assertThat(second.lines).as("second child output").contains("DRAINED");

      // anything beyond the acknowledged ones is an append that committed as the process died
      int dups = ReceiptLedger.assertAllDelivered(List.of(cloud), ackedBeforeKill, ReceiptLedger.ids(0, n),
          Duration.ofSeconds(60));
      System.out.printf("after restart: all %d acknowledged receipts delivered, %d duplicates%n", ackedBeforeKill.size(), dups);
    }
  }
}
