package org.storeedge.sync.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.core.outbox.Outbox.OutboxFullException;
import org.storeedge.core.outbox.Stream;

class SqliteOutboxTest {
  @TempDir Path dir;

  /** A clock the test moves by hand. */
  static final class ManualClock implements InstantSource {
    final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }

  private final ManualClock clock = new ManualClock();

  private SqliteOutbox open(Path file) throws Exception {
    return SqliteOutbox.open(file, new OutboxOptions(64L * 1024 * 1024, clock));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void appendedEntriesSurviveCloseAndReopenInOrder() throws Exception {
    Path file = dir.resolve("data/outbox.db");
    List<Long> seqs = new ArrayList<>();
    try (SqliteOutbox o = open(file)) {
      for (int i = 0; i < 50; i++) {
        seqs.add(o.append(Stream.RECEIPTS, "receipts", "r-" + i, bytes("{\"receiptId\":\"r-" + i + "\"}")));
      }
      assertThat(o.pendingCount()).isEqualTo(50);
    }
    assertThat(seqs).isSorted().doesNotHaveDuplicates();
    try (SqliteOutbox o = open(file)) {
      assertThat(o.pendingCount()).isEqualTo(50);
      List<OutboxEntry> batch = o.nextBatch(100);
      assertThat(batch).extracting(OutboxEntry::seq).containsExactlyElementsOf(seqs);
      assertThat(batch).extracting(OutboxEntry::key).startsWith("r-0", "r-1", "r-2");
      assertThat(new String(batch.get(7).payload(), StandardCharsets.UTF_8)).isEqualTo("{\"receiptId\":\"r-7\"}");
      assertThat(batch.get(0).createdMillis()).isEqualTo(clock.millis());
    }
  }

  @Test
  void nextBatchServesReceiptsThenAlertsEventsTelemetryFifoWithinEach() throws Exception {
    try (SqliteOutbox o = open(dir.resolve("o.db"))) {
      o.append(Stream.TELEMETRY, "telemetry", "t1", bytes("t1"));
      o.append(Stream.EVENTS, "events", "e1", bytes("e1"));
      o.append(Stream.RECEIPTS, "receipts", "r1", bytes("r1"));
      o.append(Stream.ALERTS, "alerts", "a1", bytes("a1"));
      o.append(Stream.EVENTS, "events", "e2", bytes("e2"));
      o.append(Stream.RECEIPTS, "receipts", "r2", bytes("r2"));
      o.append(Stream.TELEMETRY, "telemetry", "t2", bytes("t2"));

      assertThat(o.nextBatch(3)).extracting(OutboxEntry::key).containsExactly("r1", "r2", "a1");
      // the first three are in flight: not handed out again
      assertThat(o.nextBatch(10)).extracting(OutboxEntry::key).containsExactly("e1", "e2", "t1", "t2");
      assertThat(o.nextBatch(10)).isEmpty();
      assertThat(o.pendingByStream()).containsEntry(Stream.RECEIPTS, 2L).containsEntry(Stream.TELEMETRY, 2L);
    }
  }

  @Test
  void releasedEntriesComeBackFirstAndDeliveredOnesAreGoneAfterReopen() throws Exception {
    Path file = dir.resolve("o.db");
    try (SqliteOutbox o = open(file)) {
      for (int i = 0; i < 6; i++) {
        o.append(Stream.EVENTS, "events", "e" + i, bytes("e" + i));
      }
      List<OutboxEntry> first = o.nextBatch(4); // e0..e3 in flight
      o.markDelivered(List.of(first.get(0).seq(), first.get(2).seq())); // e0, e2 acknowledged
      o.release(List.of(first.get(1).seq(), first.get(3).seq())); // e1, e3 lost with the connection
      assertThat(o.nextBatch(10)).extracting(OutboxEntry::key).containsExactly("e1", "e3", "e4", "e5");
      assertThat(o.awaitEmpty(Duration.ofMillis(1))).isFalse();
      // pendingCount drops once the deletions committed
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (o.pendingCount() != 4 && System.nanoTime() < deadline) {
        o.awaitEmpty(Duration.ofMillis(50));
      }
      assertThat(o.pendingCount()).isEqualTo(4);
    }
    try (SqliteOutbox o = open(file)) {
      List<OutboxEntry> again = o.nextBatch(10);
      assertThat(again).extracting(OutboxEntry::key).containsExactly("e1", "e3", "e4", "e5");
      assertThat(again.get(0).attempts()).isEqualTo(1);
      assertThat(again.get(2).attempts()).isZero();
      o.markDelivered(again.stream().map(OutboxEntry::seq).toList());
      assertThat(o.awaitEmpty(Duration.ofSeconds(30))).isTrue();
      assertThat(o.stats().delivered()).isEqualTo(4);
    }
    try (SqliteOutbox o = open(file)) {
      assertThat(o.pendingCount()).isZero();
      assertThat(o.nextBatch(10)).isEmpty();
    }
  }

  @Test
  void capsDropOldestTelemetryRefuseTelemetryThenEventsAndNeverRefuseReceipts() throws Exception {
    long cap = 20_000;
    byte[] payload = new byte[200];
    try (SqliteOutbox o = SqliteOutbox.open(dir.resolve("o.db"), new OutboxOptions(cap, clock))) {
      // telemetry alone is held to a tenth of the cap: the oldest go first
      for (int i = 0; i < 40; i++) {
        o.append(Stream.TELEMETRY, "telemetry", "t" + i, payload);
      }
      OutboxStats s = o.stats();
      assertThat(s.pendingBytes().get(Stream.TELEMETRY)).isLessThanOrEqualTo(cap / 10);
      assertThat(s.dropped().get(Stream.TELEMETRY)).isEqualTo(40 - s.pending().get(Stream.TELEMETRY));
      List<OutboxEntry> left = o.nextBatch(100);
      assertThat(left.get(left.size() - 1).key()).isEqualTo("t39"); // newest kept
      assertThat(left.get(0).key()).isNotEqualTo("t0");
      o.release(left.stream().map(OutboxEntry::seq).toList());

      // events fill up to 95 %, evicting telemetry on the way, then are refused
      int events = 0;
      OutboxFullException refusal = null;
      for (int i = 0; i < 200 && refusal == null; i++) {
        try {
          o.append(Stream.EVENTS, "events", "e" + i, payload);
          events++;
        } catch (OutboxFullException e) {
          refusal = e;
        }
      }
      assertThat(refusal).isNotNull();
      assertThat(refusal.getMessage()).contains("EVENTS").contains("full");
      assertThat(events).isGreaterThan(50);
      s = o.stats();
      assertThat(s.pending().get(Stream.TELEMETRY)).isZero(); // all evicted to make room
      assertThat(s.totalPendingBytes()).isLessThanOrEqualTo((long) (cap * 0.95));
      assertThat(s.refused().get(Stream.EVENTS)).isEqualTo(1);

      // telemetry now has nothing of its own left to drop: refused
      assertThatThrownBy(() -> o.append(Stream.TELEMETRY, "telemetry", "late", payload))
          .isInstanceOf(OutboxFullException.class);
      // receipts are always taken, beyond the cap, and the overrun is counted
      for (int i = 0; i < 30; i++) {
        o.append(Stream.RECEIPTS, "receipts", "r" + i, payload);
      }
      s = o.stats();
      assertThat(s.pending().get(Stream.RECEIPTS)).isEqualTo(30);
      assertThat(s.totalPendingBytes()).isGreaterThan(cap);
      assertThat(s.receiptsOverCap()).isPositive();
      assertThat(s.refused().get(Stream.TELEMETRY)).isEqualTo(1);
      assertThat(s.refused().get(Stream.RECEIPTS)).isZero();
      assertThat(s.dropped().get(Stream.RECEIPTS)).isZero();
      assertThat(s.dropped().get(Stream.EVENTS)).isZero();
    }
  }

  @Test
  void garbageFileIsReportedByNameAndLeftUntouched() throws Exception {
    Path file = dir.resolve("outbox.db");
    byte[] garbage = new byte[8192];
    new Random(7).nextBytes(garbage);
    Files.write(file, garbage);

    assertThatThrownBy(() -> open(file))
        .isInstanceOf(OutboxUnreadableException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("left untouched");
    assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
    assertThat(dir.resolve("outbox.db-wal")).doesNotExist();
  }

  @Test
  void damagedDatabaseBehindAValidHeaderIsReportedAndLeftUntouched() throws Exception {
    Path file = dir.resolve("outbox.db");
    try (SqliteOutbox o = open(file)) {
      o.append(Stream.RECEIPTS, "receipts", "r1", bytes("x"));
    }
    byte[] content = Files.readAllBytes(file);
    // keep the 100-byte header, smash the schema page and everything after
    byte[] damaged = content.clone();
    Random r = new Random(3);
    for (int i = 100; i < damaged.length; i++) {
      damaged[i] = (byte) r.nextInt(256);
    }
    Files.write(file, damaged);

    assertThatThrownBy(() -> open(file)).isInstanceOf(OutboxUnreadableException.class)
        .hasMessageContaining(file.toString());
    assertThat(Files.readAllBytes(file)).isEqualTo(damaged);
  }

  @Test
  void databaseFromANewerSchemaIsRefused() throws Exception {
    Path file = dir.resolve("outbox.db");
    open(file).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("INSERT INTO schema_version(version) VALUES (99)");
    }
    assertThatThrownBy(() -> open(file)).isInstanceOf(OutboxUnreadableException.class)
        .hasMessageContaining("newer schema");
  }

  @Test
  void concurrentAppendsAreGroupCommittedAndAllAcknowledgedOnesSurvive() throws Exception {
    Path file = dir.resolve("o.db");
    int threads = 8;
    int perThread = 400;
    Map<Long, String> acknowledged = new ConcurrentHashMap<>();
    long commits;
    try (SqliteOutbox o = open(file)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int tt = t;
        done.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < perThread; i++) {
            String key = "k-" + tt + "-" + i;
            Stream st = i % 2 == 0 ? Stream.RECEIPTS : Stream.EVENTS;
            long seq = o.append(st, st.name().toLowerCase(), key, bytes(key));
            acknowledged.put(seq, key);
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();
      commits = o.stats().commits();
      assertThat(o.stats().appended()).isEqualTo(threads * perThread);
    }
    assertThat(acknowledged).hasSize(threads * perThread);
    // many appends shared a transaction
    assertThat(commits).isLessThan(threads * perThread);
    try (SqliteOutbox o = open(file)) {
      List<OutboxEntry> all = o.nextBatch(threads * perThread + 10);
      assertThat(all).hasSize(threads * perThread);
      for (OutboxEntry e : all) {
        assertThat(e.key()).isEqualTo(acknowledged.get(e.seq()));
      }
      // per producer, order is preserved within each stream
      for (int t = 0; t < threads; t++) {
        String prefix = "k-" + t + "-";
        List<Integer> receiptOrder = all.stream().filter(e -> e.stream() == Stream.RECEIPTS && e.key().startsWith(prefix))
            .map(e -> Integer.parseInt(e.key().substring(prefix.length()))).toList();
        assertThat(receiptOrder).isSorted().hasSize(perThread / 2);
      }
    }
  }

  @Test
  void oldestPendingAgeFollowsTheInjectedClock() throws Exception {
    try (SqliteOutbox o = open(dir.resolve("o.db"))) {
      assertThat(o.oldestPendingMillis(Stream.RECEIPTS)).isEmpty();
      long seq = o.append(Stream.RECEIPTS, "receipts", "r1", bytes("x"));
      clock.millis.addAndGet(5_000);
      o.append(Stream.RECEIPTS, "receipts", "r2", bytes("x"));
      clock.millis.addAndGet(2_000);
      assertThat(o.oldestPendingMillis(Stream.RECEIPTS)).hasValue(7_000);
      o.nextBatch(1);
      o.markDelivered(seq);
      // acknowledged entries no longer count, even before their deletion commits
      assertThat(o.oldestPendingMillis(Stream.RECEIPTS)).hasValue(2_000);
    }
  }

  @Test
  void appendAfterCloseFailsClearly() throws Exception {
    SqliteOutbox o = open(dir.resolve("o.db"));
    o.close();
    assertThatThrownBy(() -> o.append(Stream.RECEIPTS, "receipts", "r", bytes("x")))
        .isInstanceOf(OutboxStorageException.class).hasMessageContaining("closed");
  }
}
