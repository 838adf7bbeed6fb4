package org.storeedge.sync.mqtt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.storeedge.core.outbox.Stream;
import org.storeedge.core.time.SystemScheduler;
import org.storeedge.sync.outbox.OutboxOptions;
import org.storeedge.sync.outbox.SqliteOutbox;
import org.storeedge.sync.testing.MosquittoBroker;

/**
 * Measurement, not a test: durable end-to-end throughput (append -> QoS 1 to a local Mosquitto ->
 * acknowledged and deleted). Run: {@code java -cp <test classpath> org.storeedge.sync.mqtt.UplinkThroughput [N] [payloadBytes]}.
 */
public final class UplinkThroughput {
  private UplinkThroughput() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int size = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    Path dir = Files.createTempDirectory("uplink-throughput");
    byte[] payload = new byte[size];
    try (MosquittoBroker broker = MosquittoBroker.create(dir, false, List.of("max_inflight_messages 1000")).startProcess();
        SystemScheduler scheduler = new SystemScheduler("bench-timers");
        SqliteOutbox outbox = SqliteOutbox.open(dir.resolve("o.db"), OutboxOptions.defaults())) {
      long t0 = System.nanoTime();
      Thread[] producers = new Thread[4];
      for (int p = 0; p < producers.length; p++) {
        int pp = p;
        producers[p] = new Thread(() -> {
          try {
            for (int i = pp; i < n; i += producers.length) {
              outbox.append(Stream.EVENTS, "events", "e-" + i, payload);
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        producers[p].start();
      }
      for (Thread t : producers) {
        t.join();
      }
      long t1 = System.nanoTime();
      System.out.printf("append (4 producers, group commit, fsync): %d entries in %d ms = %.0f/s (%d commits)%n",
          n, (t1 - t0) / 1_000_000, n / ((t1 - t0) / 1e9), outbox.stats().commits());
      MqttUplink uplink = new MqttUplink(outbox, UplinkOptions.plain(List.of(broker.uri()), "bench", "bench/"), scheduler);
      long t2 = System.nanoTime();
      uplink.start();
      boolean drained = uplink.awaitDrained(Duration.ofMinutes(5));
      long t3 = System.nanoTime();
      System.out.printf("drain backlog to broker (QoS 1, acked, deleted): %d in %d ms = %.0f/s, drained=%s, window=%d%n",
          n, (t3 - t2) / 1_000_000, n / ((t3 - t2) / 1e9), drained, uplink.stats().window());
      uplink.stop();
    }
  }
}
