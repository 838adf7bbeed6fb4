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
  void garbageFileIsMovedAsideUntouchedAndAFreshOutboxOpensWithAnAlarm() throws Exception {
    Path file = dir.resolve("outbox.db");
    byte[] garbage = new byte[8192];
    new Random(7).nextBytes(garbage);
    Files.write(file, garbage);

    try (SqliteOutbox o = open(file)) {
      assertThat(o.pendingCount()).isZero();
      SalvageReport report = o.lastSalvage().orElseThrow();
      assertThat(report.rowsSalvaged()).isZero();
      assertThat(report.movedTo().getFileName().toString()).startsWith("outbox.db.corrupt-");
      assertThat(Files.readAllBytes(report.movedTo())).isEqualTo(garbage);
      assertThat(o.alarms()).extracting(OutboxAlarm::kind).contains(OutboxAlarm.Kind.DATABASE_SALVAGED);
      o.append(Stream.RECEIPTS, "receipts", "r1", bytes("x")); // the new one works
    }
    try (SqliteOutbox o = open(file)) {
      assertThat(o.pendingCount()).isEqualTo(1);
    }
  }

  @Test
  void damagedDatabaseBehindAValidHeaderIsMovedAsideAndReplaced() throws Exception {
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

    try (SqliteOutbox o = open(file)) {
      SalvageReport report = o.lastSalvage().orElseThrow();
      assertThat(Files.readAllBytes(report.movedTo())).isEqualTo(damaged);
      assertThat(o.alarms()).extracting(OutboxAlarm::kind).contains(OutboxAlarm.Kind.DATABASE_SALVAGED);
      assertThat(o.alarms().get(0).message()).contains(report.movedTo().toString());
    }
    assertThat(listSiblings(file)).anyMatch(n -> n.startsWith("outbox.db.corrupt-"));
  }

  private List<String> listSiblings(Path file) throws Exception {
    try (var s = Files.list(file.getParent())) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void pagesOverwrittenInTheMiddleLoseOnlyTheirRowsEveryReadableAcknowledgedEntryComesBack() throws Exception {
    Path file = dir.resolve("outbox.db");
    int n = 3000;
    Map<String, byte[]> written = new java.util.HashMap<>();
    Map<Long, String> keyBySeq = new java.util.HashMap<>();
    Random rnd = new Random(11);
    Map<String, java.util.concurrent.CompletableFuture<Long>> futures = new java.util.LinkedHashMap<>();
    try (SqliteOutbox o = open(file)) {
      for (int i = 0; i < n; i++) {
        String key = "r-" + i;
        byte[] payload = bytes("{\"receiptId\":\"" + key + "\",\"total\":" + rnd.nextInt(100_000) + ",\"pad\":\""
            + "x".repeat(200 + rnd.nextInt(200)) + "\"}");
        written.put(key, payload);
        futures.put(key, o.appendAsync(i % 3 == 0 ? Stream.EVENTS : Stream.RECEIPTS, i % 3 == 0 ? "events" : "receipts", key, payload));
      }
      for (Map.Entry<String, java.util.concurrent.CompletableFuture<Long>> f : futures.entrySet()) {
        keyBySeq.put(f.getValue().get(60, TimeUnit.SECONDS), f.getKey()); // acknowledged: on disk
      }
    }
    byte[] content = Files.readAllBytes(file);
    int pageSize = 4096;
    int pages = content.length / pageSize;
    assertThat(pages).isGreaterThan(100);
    byte[] damaged = content.clone();
    Random garbage = new Random(5);
    for (int page : new int[] {pages / 3, pages / 3 + 1, pages / 3 + 2, pages / 2, 2 * pages / 3, 2 * pages / 3 + 1}) {
      for (int i = page * pageSize; i < (page + 1) * pageSize; i++) {
        damaged[i] = (byte) garbage.nextInt(256);
      }
    }
    Files.write(file, damaged);

    // What can be read, row by row, from an independent copy of the damaged file.
    Path probeCopy = dir.resolve("probe-copy.db");
    Files.write(probeCopy, damaged);
    Map<String, byte[]> readable = new java.util.HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + probeCopy)) {
      for (Map.Entry<Long, String> e : keyBySeq.entrySet()) {
        try (var ps = c.prepareStatement("SELECT key, payload FROM entries WHERE seq=?")) {
          ps.setLong(1, e.getKey());
          try (var rs = ps.executeQuery()) {
            if (rs.next() && e.getValue().equals(rs.getString(1))) {
              readable.put(rs.getString(1), rs.getBytes(2));
            }
          }
        } catch (java.sql.SQLException unreadable) {
          // on a damaged page
        }
      }
    }
    assertThat(readable.size()).as("the damage hit stored entries").isLessThan(n).isGreaterThan(n / 2);

    Map<String, byte[]> back = new java.util.HashMap<>();
    SalvageReport report;
    try (SqliteOutbox o = open(file)) {
      report = o.lastSalvage().orElseThrow();
      List<OutboxEntry> all = o.nextBatch(n + 10);
      for (OutboxEntry e : all) {
        back.put(e.key(), e.payload());
        assertThat(keyBySeq.get(e.seq())).as("seq keeps its entry").isEqualTo(e.key());
      }
      // receipts first, each stream in seq order
      List<Long> receiptSeqs = all.stream().filter(e -> e.stream() == Stream.RECEIPTS).map(OutboxEntry::seq).toList();
      assertThat(receiptSeqs).isSorted();
      assertThat(o.stats().alarms()).extracting(OutboxAlarm::kind).containsExactly(OutboxAlarm.Kind.DATABASE_SALVAGED);
      o.release(all.stream().map(OutboxEntry::seq).toList());
      // new appends go after the salvaged entries
      long seq = o.append(Stream.RECEIPTS, "receipts", "after", bytes("{}"));
      assertThat(seq).isGreaterThan(keyBySeq.keySet().stream().mapToLong(Long::longValue).max().orElseThrow());
    }
    assertThat(back.keySet()).containsAll(readable.keySet());
    assertThat(back.keySet()).isSubsetOf(written.keySet());
    for (Map.Entry<String, byte[]> e : back.entrySet()) {
      assertThat(e.getValue()).as("payload of %s", e.getKey()).isEqualTo(written.get(e.getKey()));
    }
    assertThat(report.rowsSalvaged()).isEqualTo(back.size());
    assertThat(report.unreadableSeqs()).isGreaterThanOrEqualTo(n - back.size());
    // nothing deleted: the damaged original is kept byte for byte
    assertThat(Files.readAllBytes(report.movedTo())).isEqualTo(damaged);

    // the alarm survives a restart until acknowledged
    try (SqliteOutbox o = open(file)) {
      assertThat(o.alarms()).extracting(OutboxAlarm::kind).contains(OutboxAlarm.Kind.DATABASE_SALVAGED);
      assertThat(o.pendingCount()).isEqualTo(back.size() + 1);
      o.acknowledgeSalvage();
      assertThat(o.alarms()).isEmpty();
    }
    try (SqliteOutbox o = open(file)) {
      assertThat(o.alarms()).isEmpty();
      assertThat(o.salvageReports()).isEmpty();
    }
    assertThat(report.movedTo()).exists();
  }

  @Test
  void anInterruptedSalvageIsFinishedAtTheNextOpen() throws Exception {
    Path file = dir.resolve("outbox.db");
    try (SqliteOutbox o = open(file)) {
      o.append(Stream.RECEIPTS, "receipts", "r1", bytes("{}"));
    }
    Files.write(file, new byte[4096]); // zeroes: not a database
    try (SqliteOutbox o = open(file)) {
      assertThat(o.lastSalvage()).isPresent();
    }
    // Simulate a crash between "moved aside" and "salvaged copy renamed into place".
    Files.move(file, Salvage.salvagingFile(file));
    try (SqliteOutbox o = open(file)) {
      assertThat(o.lastSalvage()).isPresent();
      assertThat(o.alarms()).extracting(OutboxAlarm::kind).contains(OutboxAlarm.Kind.DATABASE_SALVAGED);
    }
    assertThat(Salvage.salvagingFile(file)).doesNotExist();
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
  void telemetryAndEventsExpireByAgeAndAreCountedReceiptsNever() throws Exception {
    OutboxOptions opts = new OutboxOptions(64L * 1024 * 1024, clock)
        .withPolicy(Stream.TELEMETRY, OutboxOptions.defaultPolicies(64L * 1024 * 1024).get(Stream.TELEMETRY).withMaxAge(Duration.ofHours(1)))
        .withPolicy(Stream.EVENTS, OutboxOptions.defaultPolicies(64L * 1024 * 1024).get(Stream.EVENTS).withMaxAge(Duration.ofDays(2)));
    try (SqliteOutbox o = SqliteOutbox.open(dir.resolve("o.db"), opts)) {
      o.append(Stream.TELEMETRY, "telemetry", "t-old", bytes("1"));
      o.append(Stream.EVENTS, "events", "e-old", bytes("1"));
      o.append(Stream.RECEIPTS, "receipts", "r-old", bytes("1"));
      clock.millis.addAndGet(Duration.ofMinutes(61).toMillis());
      o.append(Stream.TELEMETRY, "telemetry", "t-new", bytes("2"));
      o.expireNow();
      OutboxStats s = o.stats();
      assertThat(s.expired()).containsEntry(Stream.TELEMETRY, 1L).containsEntry(Stream.EVENTS, 0L);
      assertThat(s.pending()).containsEntry(Stream.TELEMETRY, 1L).containsEntry(Stream.EVENTS, 1L);
      assertThat(s.oldestPendingAgeMillis()).containsEntry(Stream.EVENTS, Duration.ofMinutes(61).toMillis());

      // the clock going back expires nothing
      clock.millis.addAndGet(-Duration.ofDays(3).toMillis());
      o.expireNow();
      assertThat(o.stats().totalPending()).isEqualTo(3);

      clock.millis.addAndGet(Duration.ofDays(30).toMillis());
      o.expireNow();
      s = o.stats();
      assertThat(s.expired()).containsEntry(Stream.TELEMETRY, 2L).containsEntry(Stream.EVENTS, 1L).containsEntry(Stream.RECEIPTS, 0L);
      assertThat(s.pending()).containsEntry(Stream.RECEIPTS, 1L).containsEntry(Stream.TELEMETRY, 0L).containsEntry(Stream.EVENTS, 0L);
      assertThat(s.lost(Stream.TELEMETRY)).isEqualTo(2);
      assertThat(o.nextBatch(10)).extracting(OutboxEntry::key).containsExactly("r-old");
    }
  }

  @Test
  void expiryRunsOnItsOwnWhenTheClockPassesTheSweepInterval() throws Exception {
    OutboxOptions opts = new OutboxOptions(64L * 1024 * 1024, clock, Map.of(Stream.TELEMETRY,
        new StreamPolicy(StreamPolicy.Overflow.DROP_OLDEST, 0.9, 0, Duration.ofMinutes(5), 0)), 1000,
        FreeSpaceProbe.fileStore(), Duration.ofMinutes(1));
    try (SqliteOutbox o = SqliteOutbox.open(dir.resolve("o.db"), opts)) {
      for (int i = 0; i < 600; i++) {
        o.append(Stream.TELEMETRY, "telemetry", "t" + i, bytes("x"));
      }
      clock.millis.addAndGet(Duration.ofMinutes(6).toMillis());
      // no explicit call: the writer notices the interval passed (it wakes up at least once a second)
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (o.stats().expired().get(Stream.TELEMETRY) < 600 && System.nanoTime() < deadline) {
        o.awaitEmpty(Duration.ofMillis(100));
      }
      assertThat(o.stats().expired()).containsEntry(Stream.TELEMETRY, 600L);
      assertThat(o.pendingCount()).isZero();
    }
  }

  @Test
  void nearlyFullDiskRefusesTelemetryThenEventsThenAlertsButNeverReceiptsAndRaisesAnAlarm() throws Exception {
    long mib = 1024L * 1024;
    AtomicLong free = new AtomicLong(10_000 * mib);
    List<java.nio.file.Path> probed = new java.util.concurrent.CopyOnWriteArrayList<>();
    OutboxOptions opts = new OutboxOptions(64L * 1024 * 1024, clock).withFreeSpace(d -> {
      probed.add(d);
      return free.get();
    });
    byte[] p = bytes("{\"v\":1}");
    try (SqliteOutbox o = SqliteOutbox.open(dir.resolve("o.db"), opts)) {
      o.append(Stream.TELEMETRY, "telemetry", "t0", p);
      assertThat(o.alarms()).isEmpty();
      assertThat(o.stats().freeDiskBytes()).isEqualTo(10_000 * mib);
      assertThat(probed).contains(dir.toAbsolutePath());

      free.set(300 * mib); // below telemetry's 512 MiB
      assertThatThrownBy(() -> o.append(Stream.TELEMETRY, "telemetry", "t1", p))
          .isInstanceOf(OutboxFullException.class).hasMessageContaining("disk nearly full").hasMessageContaining("TELEMETRY");
      o.append(Stream.EVENTS, "events", "e1", p);
      assertThat(o.alarms()).extracting(OutboxAlarm::kind).containsExactly(OutboxAlarm.Kind.DISK_NEARLY_FULL);
      assertThat(o.alarms().get(0).message()).contains("TELEMETRY");

      free.set(100 * mib); // below events' 256 MiB
      assertThatThrownBy(() -> o.append(Stream.EVENTS, "events", "e2", p)).isInstanceOf(OutboxFullException.class);
      o.append(Stream.ALERTS, "alerts", "a1", p);

      free.set(1 * mib); // below alerts' 64 MiB: receipts still go in
      assertThatThrownBy(() -> o.append(Stream.ALERTS, "alerts", "a2", p)).isInstanceOf(OutboxFullException.class);
      for (int i = 0; i < 5; i++) {
        o.append(Stream.RECEIPTS, "receipts", "r" + i, p);
      }
      OutboxStats s = o.stats();
      assertThat(s.refusedLowDisk()).containsEntry(Stream.TELEMETRY, 1L).containsEntry(Stream.EVENTS, 1L)
          .containsEntry(Stream.ALERTS, 1L).containsEntry(Stream.RECEIPTS, 0L);
      assertThat(s.pending()).containsEntry(Stream.RECEIPTS, 5L);
      assertThat(s.totalLost()).isEqualTo(3);

      free.set(2_000 * mib);
      o.append(Stream.TELEMETRY, "telemetry", "t2", p);
      assertThat(o.alarms()).isEmpty();
    }
  }

  @Test
  void aRefusingStreamWithItsOwnByteCapIsRefusedAtItWhileOthersGoOn() throws Exception {
    OutboxOptions opts = new OutboxOptions(64L * 1024 * 1024, clock).withPolicy(Stream.EVENTS,
        OutboxOptions.defaultPolicies(64L * 1024 * 1024).get(Stream.EVENTS).withOwnMaxBytes(2_000));
    try (SqliteOutbox o = SqliteOutbox.open(dir.resolve("o.db"), opts)) {
      int accepted = 0;
      for (int i = 0; i < 40; i++) {
        try {
          o.append(Stream.EVENTS, "events", "e" + i, new byte[100]);
          accepted++;
        } catch (OutboxFullException e) {
          assertThat(e.getMessage()).contains("own cap");
        }
      }
      assertThat(accepted).isBetween(5, 15);
      assertThat(o.stats().refused()).containsEntry(Stream.EVENTS, (long) (40 - accepted));
      assertThat(o.stats().pendingBytes().get(Stream.EVENTS)).isLessThanOrEqualTo(2_000);
      o.append(Stream.ALERTS, "alerts", "a", new byte[100]);
    }
  }

  @Test
  void receiptsCannotBeGivenAnAgeOrADiskThreshold() {
    StreamPolicy aged = new StreamPolicy(StreamPolicy.Overflow.KEEP_ALL, 1.0, 0, Duration.ofDays(30), 0);
    assertThatThrownBy(() -> new OutboxOptions(1_000_000, clock).withPolicy(Stream.RECEIPTS, aged))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("receipts never expire");
  }

  @Test
  void seededRandomOperationsKeepCountsBytesAndOrderConsistentWithAModel() throws Exception {
    for (long seed = 1; seed <= 3; seed++) {
      Random r = new Random(seed);
      Path file = dir.resolve("model-" + seed + ".db");
      java.util.TreeMap<Long, String> model = new java.util.TreeMap<>(); // seq -> key, what must be on disk
      java.util.Set<Long> inFlight = new java.util.HashSet<>();
      SqliteOutbox o = open(file);
      try {
        for (int step = 0; step < 400; step++) {
          int op = r.nextInt(10);
          if (op < 5) {
            Stream st = r.nextBoolean() ? Stream.RECEIPTS : Stream.EVENTS;
            String key = "k" + seed + "-" + step;
            model.put(o.append(st, st.name().toLowerCase(), key, bytes(key)), key);
          } else if (op < 7) {
            for (OutboxEntry e : o.nextBatch(1 + r.nextInt(5))) {
              inFlight.add(e.seq());
            }
          } else if (op < 8 && !inFlight.isEmpty()) {
            Long seq = inFlight.iterator().next();
            inFlight.remove(seq);
            o.markDelivered(seq);
            model.remove(seq);
          } else if (op < 9 && !inFlight.isEmpty()) {
            Long seq = inFlight.iterator().next();
            inFlight.remove(seq);
            if (r.nextBoolean()) {
              o.release(List.of(seq));
            } else {
              o.giveBack(List.of(seq));
            }
          } else {
            o.close();
            o = open(file);
            inFlight.clear();
          }
        }
        o.giveBack(inFlight);
        // everything the model holds comes back once, in seq order per stream
        List<OutboxEntry> all = o.nextBatch(10_000);
        java.util.TreeMap<Long, String> got = new java.util.TreeMap<>();
        all.forEach(e -> got.put(e.seq(), e.key()));
        assertThat(got).as("seed %d", seed).isEqualTo(model);
        assertThat(all.stream().filter(e -> e.stream() == Stream.RECEIPTS).map(OutboxEntry::seq).toList()).isSorted();
      } finally {
        o.close();
      }
      try (SqliteOutbox again = open(file)) {
        assertThat(again.pendingCount()).as("seed %d", seed).isEqualTo(model.size());
        long bytes = model.values().stream().mapToLong(k -> 2L * k.length() + 8 + SqliteOutbox.ROW_OVERHEAD_BYTES).sum();
        // topic is "receipts" or "events": 8 or 6 bytes
        assertThat(again.stats().totalPendingBytes()).isBetween(bytes - 2L * model.size(), bytes);
      }
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
