package org.storeedge.runtime.failure;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.storeedge.core.outbox.Stream;
import org.storeedge.core.time.SystemScheduler;
import org.storeedge.sync.mqtt.MqttUplink;
import org.storeedge.sync.mqtt.UplinkOptions;
import org.storeedge.sync.outbox.OutboxOptions;
import org.storeedge.sync.outbox.SqliteOutbox;

/**
 * The producer side of the agent as a process of its own, for the SIGKILL test: opens the outbox,
 * starts the uplink, appends receipts {@code from..to-1} from four threads and prints {@code ACK <receiptId>} on
 * stdout as each append returns (acknowledged to the producer), then waits for the outbox to drain
 * and prints {@code DRAINED}.
 *
 * <p>Arguments: {@code DB BROKER_URI FROM TO}.
 */
public final class ReceiptProducerMain {
  private ReceiptProducerMain() {}

  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[0]);
    String broker = args[1];
    int from = Integer.parseInt(args[2]);
    int to = Integer.parseInt(args[3]);
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    try (SystemScheduler timers = new SystemScheduler("uplink-timers");
        SqliteOutbox outbox = SqliteOutbox.open(db, new OutboxOptions(1L << 30, InstantSource.system()))) {
      MqttUplink up = new MqttUplink(outbox, UplinkOptions.plain(List.of(broker), "fail-001-gw-01", ReceiptLedger.PREFIX),
          timers);
      up.start();
      out.println("STARTED pending=" + outbox.pendingCount());
      // four producers, as checkout, stock and faults append at once: group commits outpace the drain
      List<Thread> producers = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int first = from + t;
        Thread p = new Thread(() -> {
          for (int i = first; i < to; i += 4) {
            String id = ReceiptLedger.id(i);
            try {
              outbox.append(Stream.RECEIPTS, "receipts", id, ReceiptLedger.payload(id));
            } catch (Exception e) {
              out.println("FAILED " + id + " " + e);
              return;
            }
            out.println("ACK " + id);
          }
        }, "producer-" + t);
        p.start();
        producers.add(p);
      }
      for (Thread p : producers) {
        p.join();
      }
      out.println("APPENDED");
      boolean drained = up.awaitDrained(Duration.ofSeconds(100));
      out.println(drained ? "DRAINED" : "NOT-DRAINED pending=" + outbox.pendingCount());
      up.stop();
    }
  }
}
