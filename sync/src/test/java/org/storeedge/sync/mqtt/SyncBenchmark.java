package org.storeedge.sync.mqtt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.storeedge.core.outbox.Stream;
import org.storeedge.core.time.SystemScheduler;
import org.storeedge.sync.outbox.OutboxOptions;
import org.storeedge.sync.outbox.SqliteOutbox;
import org.storeedge.sync.testing.MosquittoBroker;
import org.storeedge.sync.testing.Poll;

/**
 * Measurement, not a test: the sync figures of docs/benchmarks-sync.md, side by side in one run
 * against one local Mosquitto (started here, {@code max_inflight_messages 1000}).
 *
 * <ol>
 *   <li>raw Paho QoS 1 publishing of N event payloads, no durability, window 1000;
 *   <li>durable end-to-end: the same payloads appended to the outbox (group commit, fsync),
 *       published by the uplink (batches), acknowledged and deleted; append latency p50/p99;
 *       both in two alternating rounds after a warm-up;
 *   <li>the same durable path with blocking {@code append} from 16 producer threads;
 *   <li>recovery: one busy hour of backlog appended while the broker is down, then the broker
 *       starts: time to connect and drain;
 *   <li>bytes per receipt and per event on disk, and whether 7 days offline fit the default cap.
 * </ol>
 *
 * Run (from the repository root):
 *
 * <pre>
 * mvn -B -o -q -f sync/pom.xml install -DskipTests
 * mvn -B -o -q -f sync/pom.xml dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test
 * java -cp sync/target/test-classes:sync/target/classes:$(cat sync/target/test-cp.txt) \
 *     org.storeedge.sync.mqtt.SyncBenchmark [events=200000] [workDir=/tmp]
 * </pre>
 *
 * The work directory must be on the disk the outbox would use: fsync cost is the point.
 */
public final class SyncBenchmark {
  /** Assumed busy hour of one store (see the benchmark document). */
  static final int RECEIPTS_PER_HOUR = 600;
  static final int EVENTS_PER_HOUR = 30_000;
  static final int TELEMETRY_PER_HOUR = 36_000;
  static final int ALERTS_PER_HOUR = 50;
  static final int BUSY_HOURS_PER_DAY = 16;
  static final int WINDOW = 1000;

  private SyncBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      a.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    int n = Integer.parseInt(a.getOrDefault("events", "200000"));
    Path work = Files.createTempDirectory(Path.of(a.getOrDefault("workDir", System.getProperty("java.io.tmpdir"))), "sync-bench");
    System.out.printf(Locale.ROOT, "# sync benchmark %s, %d events, %d cores, java %s, work dir %s%n", Instant.now(), n,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), work);
    List<byte[]> events = new ArrayList<>(n);
    Random r = new Random(1);
    long eventBytes = 0;
    for (int i = 0; i < n; i++) {
      byte[] e = event(r, i);
      events.add(e);
      eventBytes += e.length;
    }
    System.out.printf(Locale.ROOT, "event payload: mean %.0f bytes%n", eventBytes / (double) n);

    try (MosquittoBroker broker = MosquittoBroker.create(work, false, List.of("max_inflight_messages " + WINDOW)).startProcess();
        SystemScheduler scheduler = new SystemScheduler("bench-timers")) {
      // warm-up (JIT, page cache), not reported
      rawPaho(broker, events.subList(0, Math.min(n, 20_000)), "warm");
      durable(broker, scheduler, work.resolve("warm.db"), events.subList(0, Math.min(n, 20_000)), "warm");
      double[] raw = new double[2];
      double[] dur = new double[2];
      for (int round = 0; round < 2; round++) {
        raw[round] = rawPaho(broker, events, "raw-" + round);
        System.out.printf(Locale.ROOT, "round %d raw Paho QoS 1 (window %d, no durability): %,.0f events/s%n", round + 1, WINDOW, raw[round]);
        dur[round] = durable(broker, scheduler, work.resolve("durable-" + round + ".db"), events, "dur-" + round);
        System.out.printf(Locale.ROOT, "round %d durable end-to-end: %,.0f events/s = %.2fx raw%n", round + 1, dur[round], dur[round] / raw[round]);
      }
      System.out.printf(Locale.ROOT, "RESULT throughput: raw %,.0f / %,.0f events/s; durable %,.0f / %,.0f events/s; ratio %.2fx / %.2fx%n",
          raw[0], raw[1], dur[0], dur[1], dur[0] / raw[0], dur[1] / raw[1]);
      blockingProducers(broker, scheduler, work.resolve("blocking.db"), events.subList(0, Math.min(n, 100_000)), 16);
      recovery(broker, scheduler, work.resolve("recovery.db"));
    }
    diskFootprint(work);
  }

  // ------------------------------------------------------------------ payloads

  static byte[] event(Random r, int i) {
    String s = "{\"type\":\"shelf\",\"eventId\":\"ev-" + Long.toHexString(r.nextLong()) + "\",\"shelfId\":\"S-"
        + (1 + r.nextInt(40)) + "\",\"start\":\"2024-05-01T10:15:" + String.format(Locale.ROOT, "%02d", r.nextInt(60))
        + ".120Z\",\"end\":\"2024-05-01T10:15:" + String.format(Locale.ROOT, "%02d", r.nextInt(60)) + ".940Z\",\"deltaGrams\":-"
        + (50 + r.nextInt(900)) + "." + r.nextInt(10) + ",\"sigmaGrams\":1.8" + r.nextInt(10)
        + ",\"lanes\":[{\"laneId\":\"L-" + r.nextInt(200) + "\",\"deltaGrams\":-" + (50 + r.nextInt(900))
        + ".2}],\"candidates\":[{\"sku\":\"40" + (10_000_000 + r.nextInt(89_999_999)) + "\",\"count\":1,\"p\":0.97"
        + r.nextInt(10) + "}],\"confidence\":0.9" + r.nextInt(1000) + ",\"seq\":" + i + "}";
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] receipt(Random r, String id) {
    StringBuilder b = new StringBuilder("{\"type\":\"receipt\",\"receiptId\":\"").append(id)
        .append("\",\"storeId\":\"demo-001\",\"gatewayId\":\"gw-01\",\"customerToken\":\"ct-")
        .append(Long.toHexString(r.nextLong())).append("\",\"enteredAt\":\"2024-05-01T10:12:03.512Z\",\"exitedAt\":\"2024-05-01T10:19:44.007Z\",\"items\":[");
    int lines = 2 + r.nextInt(8);
    long total = 0;
    for (int i = 0; i < lines; i++) {
      long price = 49 + r.nextInt(900);
      int qty = 1 + r.nextInt(3);
      total += price * qty;
      b.append(i == 0 ? "" : ",").append("{\"sku\":\"40").append(10_000_000 + r.nextInt(89_999_999))
          .append("\",\"name\":\"Item ").append(r.nextInt(5000)).append("\",\"quantity\":").append(qty)
          .append(",\"unitPrice\":").append(price).append(",\"confidence\":0.9").append(r.nextInt(100)).append('}');
    }
    b.append("],\"total\":").append(total).append(",\"currency\":\"EUR\",\"needsReview\":false,\"reviewReasons\":[]}");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] telemetry(Random r) {
    return ("{\"laneId\":\"L-" + r.nextInt(200) + "\",\"grams\":" + r.nextInt(20_000) + "." + r.nextInt(10)
        + ",\"status\":\"OK\",\"at\":\"2024-05-01T10:15:00Z\"}").getBytes(StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ runs

  /** Events/s from the first publish to the last PUBACK. */
  static double rawPaho(MosquittoBroker broker, List<byte[]> payloads, String id) throws Exception {
    MqttAsyncClient c = new MqttAsyncClient(broker.uri(), "bench-raw-" + id, new MemoryPersistence());
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    IMqttToken t = c.connect(o);
    t.waitForCompletion(15_000);
    Integer rm = t.getResponseProperties() == null ? null : t.getResponseProperties().getReceiveMaximum();
    int window = Math.min(WINDOW, rm == null ? 65535 : rm);
    Semaphore slots = new Semaphore(window);
    CountDownLatch done = new CountDownLatch(payloads.size());
    AtomicLong failed = new AtomicLong();
    MqttActionListener l = new MqttActionListener() {
      @Override
      public void onSuccess(IMqttToken tok) {
        slots.release();
        done.countDown();
      }

      @Override
      public void onFailure(IMqttToken tok, Throwable ex) {
        failed.incrementAndGet();
        slots.release();
        done.countDown();
      }
    };
    long t0 = System.nanoTime();
    for (byte[] p : payloads) {
      slots.acquire();
      MqttMessage m = new MqttMessage(p);
      m.setQos(1);
      c.publish("bench/raw/events", m, null, l);
    }
    if (!done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("raw Paho run did not finish");
    }
    long t1 = System.nanoTime();
    c.disconnect().waitForCompletion(10_000);
    c.close();
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " raw publishes failed");
    }
    return payloads.size() / ((t1 - t0) / 1e9);
  }

  private static MqttUplink startUplink(SqliteOutbox outbox, MosquittoBroker broker, SystemScheduler scheduler, String id) {
    MqttUplink u = new MqttUplink(outbox, UplinkOptions.plain(List.of(broker.uri()), "bench-" + id, "bench/" + id + "/"), scheduler);
    u.start();
    Poll.until(Duration.ofSeconds(60), () -> u.stats().connected(), "uplink connected");
    return u;
  }

  /** Events/s from the first append to the outbox being empty (acked and deleted); prints latency. */
  static double durable(MosquittoBroker broker, SystemScheduler scheduler, Path db, List<byte[]> payloads, String id) throws Exception {
    try (SqliteOutbox outbox = SqliteOutbox.open(db, OutboxOptions.defaults())) {
      MqttUplink uplink = startUplink(outbox, broker, scheduler, id);
      int n = payloads.size();
      long[] latency = new long[n];
      Semaphore outstanding = new Semaphore(8192);
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        outstanding.acquire();
        long s = System.nanoTime();
        int ii = i;
        outbox.appendAsync(Stream.EVENTS, "events", "e-" + i, payloads.get(i)).whenComplete((seq, ex) -> {
          latency[ii] = ex == null ? System.nanoTime() - s : Long.MAX_VALUE;
          outstanding.release();
        });
      }
      if (!uplink.awaitDrained(Duration.ofMinutes(10))) {
        throw new IllegalStateException("durable run did not drain: " + uplink.stats());
      }
      long t1 = System.nanoTime();
      UplinkStats st = uplink.stats();
      uplink.stop();
      Arrays.sort(latency);
      if (!id.startsWith("warm")) {
        System.out.printf(Locale.ROOT, "  %s: append latency (async, up to 8192 outstanding) p50 %.2f ms, p99 %.2f ms, max %.2f ms; "
                + "%d publishes (%d batches) for %d entries, %d commits%n", id, latency[n / 2] / 1e6, latency[(int) (n * 0.99)] / 1e6,
            latency[n - 1] / 1e6, st.publishes(), st.batches(), st.acknowledged(), outbox.stats().commits());
      }
      return n / ((t1 - t0) / 1e9);
    }
  }

  static void blockingProducers(MosquittoBroker broker, SystemScheduler scheduler, Path db, List<byte[]> payloads, int threads) throws Exception {
    try (SqliteOutbox outbox = SqliteOutbox.open(db, OutboxOptions.defaults())) {
      MqttUplink uplink = startUplink(outbox, broker, scheduler, "blocking");
      int n = payloads.size();
      long[] latency = new long[n];
      Thread[] ts = new Thread[threads];
      long t0 = System.nanoTime();
      for (int p = 0; p < threads; p++) {
        int pp = p;
        ts[p] = new Thread(() -> {
          try {
            for (int i = pp; i < n; i += threads) {
              long s = System.nanoTime();
              outbox.append(Stream.EVENTS, "events", "b-" + i, payloads.get(i));
              latency[i] = System.nanoTime() - s;
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        ts[p].start();
      }
      for (Thread t : ts) {
        t.join();
      }
      if (!uplink.awaitDrained(Duration.ofMinutes(10))) {
        throw new IllegalStateException("blocking run did not drain");
      }
      long t1 = System.nanoTime();
      uplink.stop();
      Arrays.sort(latency);
      System.out.printf(Locale.ROOT, "RESULT blocking append, %d producer threads: %,.0f events/s end-to-end; append p50 %.2f ms, p99 %.2f ms; %d commits%n",
          threads, n / ((t1 - t0) / 1e9), latency[n / 2] / 1e6, latency[(int) (n * 0.99)] / 1e6, outbox.stats().commits());
    }
  }

  static void recovery(MosquittoBroker broker, SystemScheduler scheduler, Path db) throws Exception {
    Random r = new Random(3);
    try (SqliteOutbox outbox = SqliteOutbox.open(db, OutboxOptions.defaults())) {
      broker.stop();
      MqttUplink uplink = new MqttUplink(outbox, UplinkOptions.plain(List.of(broker.uri()), "bench-recovery", "bench/recovery/"), scheduler);
      uplink.start();
      List<java.util.concurrent.CompletableFuture<Long>> fs = new ArrayList<>();
      // the hour's entries in a random (seeded) arrival order
      List<Stream> order = new ArrayList<>();
      order.addAll(java.util.Collections.nCopies(RECEIPTS_PER_HOUR, Stream.RECEIPTS));
      order.addAll(java.util.Collections.nCopies(ALERTS_PER_HOUR, Stream.ALERTS));
      order.addAll(java.util.Collections.nCopies(EVENTS_PER_HOUR, Stream.EVENTS));
      order.addAll(java.util.Collections.nCopies(TELEMETRY_PER_HOUR, Stream.TELEMETRY));
      java.util.Collections.shuffle(order, r);
      for (int i = 0; i < order.size(); i++) {
        switch (order.get(i)) {
          case RECEIPTS -> fs.add(outbox.appendAsync(Stream.RECEIPTS, "receipts", "r-" + i, receipt(r, "r-" + i)));
          case ALERTS -> fs.add(outbox.appendAsync(Stream.ALERTS, "events", "a-" + i,
              "{\"type\":\"device-fault\",\"laneId\":\"L-1\",\"status\":\"NO_DATA\"}".getBytes(StandardCharsets.UTF_8)));
          case EVENTS -> fs.add(outbox.appendAsync(Stream.EVENTS, "events", "e-" + i, event(r, i)));
          case TELEMETRY -> fs.add(outbox.appendAsync(Stream.TELEMETRY, "telemetry", "t-" + i, telemetry(r)));
        }
      }
      for (var f : fs) {
        f.get(10, TimeUnit.MINUTES);
      }
      var before = outbox.stats();
      long t0 = System.nanoTime();
      broker.startProcess();
      Poll.until(Duration.ofMinutes(5), () -> uplink.stats().connected(), "reconnect");
      long t1 = System.nanoTime();
      if (!uplink.awaitDrained(Duration.ofMinutes(10))) {
        throw new IllegalStateException("recovery did not drain");
      }
      long t2 = System.nanoTime();
      System.out.printf(Locale.ROOT, "RESULT recovery: backlog %d entries (%s), %.1f MB logical; broker start -> connected %.1f s "
              + "(reconnect backoff), connected -> drained %.2f s (%,.0f entries/s); %d publishes%n",
          before.totalPending(), before.pending(), before.totalPendingBytes() / 1e6, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
          before.totalPending() / ((t2 - t1) / 1e9), uplink.stats().publishes());
      uplink.stop();
    }
  }

  static void diskFootprint(Path work) throws Exception {
    Random r = new Random(5);
    int n = 20_000;
    long[] perReceipt = footprint(work.resolve("receipts.db"), n, i -> receipt(r, "r-" + i), Stream.RECEIPTS, "receipts");
    long[] perEvent = footprint(work.resolve("events.db"), n, i -> event(r, i), Stream.EVENTS, "events");
    System.out.printf(Locale.ROOT, "RESULT on disk: receipt %d bytes (payload %d, logical %d); event %d bytes (payload %d, logical %d)%n",
        perReceipt[0], perReceipt[1], perReceipt[2], perEvent[0], perEvent[1], perEvent[2]);
    long hours = 7L * BUSY_HOURS_PER_DAY;
    long receipts = hours * RECEIPTS_PER_HOUR;
    long events = hours * (EVENTS_PER_HOUR + ALERTS_PER_HOUR);
    long logical = receipts * perReceipt[2] + events * perEvent[2];
    long disk = receipts * perReceipt[0] + events * perEvent[0];
    long cap = OutboxOptions.DEFAULT_MAX_BYTES;
    System.out.printf(Locale.ROOT, "RESULT 7 days offline (%d busy hours): %d receipts + %d events/alerts = %.2f GiB logical (cap %.2f GiB, "
            + "events accepted up to 95 %% = %.2f GiB), %.2f GiB on disk; telemetry is capped at a tenth and expires after 24 h%n",
        hours, receipts, events, logical / (double) (1L << 30), cap / (double) (1L << 30), cap * 0.95 / (1L << 30), disk / (double) (1L << 30));
  }

  /** {file bytes per entry, payload bytes per entry, logical bytes per entry}. */
  private static long[] footprint(Path db, int n, java.util.function.IntFunction<byte[]> gen, Stream st, String topic) throws Exception {
    long payload = 0;
    long logical;
    try (SqliteOutbox o = SqliteOutbox.open(db, OutboxOptions.defaults())) {
      List<java.util.concurrent.CompletableFuture<Long>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] p = gen.apply(i);
        payload += p.length;
        fs.add(o.appendAsync(st, topic, topic.charAt(0) + "-" + i, p));
      }
      for (var f : fs) {
        f.get(10, TimeUnit.MINUTES);
      }
      logical = o.stats().totalPendingBytes();
    }
    long empty;
    Path emptyDb = db.resolveSibling("empty-" + db.getFileName());
    try (SqliteOutbox o = SqliteOutbox.open(emptyDb, OutboxOptions.defaults())) {
      o.pendingCount();
    }
    empty = Files.size(emptyDb);
    return new long[] {(Files.size(db) - empty) / n, payload / n, logical / n};
  }
}
