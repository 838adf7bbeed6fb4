package org.storeedge.sync.outbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.storeedge.core.outbox.Outbox;
import org.storeedge.core.outbox.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox in one SQLite file (WAL, {@code synchronous=FULL}).
 *
 * <pre>
 *  producers (any thread)          writer thread "storeedge-outbox-writer"
 *  append() --op+future--> queue --> take up to maxOpsPerCommit ops
 *     |  blocks until                 BEGIN; expiry; caps; INSERT/DELETE...; COMMIT (fsync)
 *     '<------- seq --------------- complete futures, update counts, notify listeners
 *
 *  uplink thread: nextBatch() reads on its own connection; markDelivered()/release() only
 *  queue ops for the writer (they do not wait).
 * </pre>
 *
 * <p>Durability: {@link #append} returns only after the transaction holding the entry committed
 * with a full fsync of the WAL, so an acknowledged append survives a crash or power loss.
 * Acknowledgements ({@link #markDelivered}) are committed in the same group commits, without the
 * caller waiting: after a crash an acknowledged entry may be sent once more (at-least-once, same
 * idempotency key).
 *
 * <p>Delivery bookkeeping: an entry handed out by {@link #nextBatch} is "in flight" and is not
 * handed out again until {@link #release}d (send failed, connection lost), {@link #giveBack given
 * back} or deleted. Order is FIFO per stream by {@code seq}; streams are served in {@link Stream}
 * order.
 *
 * <p>Policies (see {@link OutboxOptions}): byte caps per stream and overall, expiry by age,
 * refusal when the disk is nearly full. Every entry lost to a policy is counted per stream in
 * {@link #stats()}.
 *
 * <p>Corruption: a database that fails its integrity check (or cannot be read at all) is moved
 * aside to {@code <name>.corrupt-<UTC timestamp>}, never deleted; every entry that can still be
 * read is copied into a fresh database, which is then opened; {@link #alarms()} reports it until
 * {@link #acknowledgeSalvage()}. A database from a newer schema is refused with {@link
 * OutboxUnreadableException} and left untouched.
 */
public final class SqliteOutbox implements Outbox, AutoCloseable {
  static final int SCHEMA_VERSION = 1;
  /** Logical bytes counted per row on top of payload, topic and key (row header, index entry). */
  static final int ROW_OVERHEAD_BYTES = 48;

  private static final Logger log = LoggerFactory.getLogger(SqliteOutbox.class);
  private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
  private static final Stream[] STREAMS = Stream.values();

  private final Path file;
  private final OutboxOptions options;
  private final Connection writeConn; // writer thread only (and open/close)
  private final Connection readConn; // guarded by state
  private final BlockingQueue<Op> ops = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  // ---- state guarded by `state` ----
  private final Object state = new Object();
  private final long[] pendingCount = new long[STREAMS.length];
  private final long[] pendingBytes = new long[STREAMS.length];
  private final long[] dropped = new long[STREAMS.length];
  private final long[] refused = new long[STREAMS.length];
  private final long[] expired = new long[STREAMS.length];
  private final long[] refusedLowDisk = new long[STREAMS.length];
  /** Highest seq handed out per stream; nextBatch reads above it. */
  private final long[] cursor = new long[STREAMS.length];
  /** Handed out by nextBatch, not yet acknowledged or released: seq -> stream. */
  private final Map<Long, Stream> inFlight = new HashMap<>();
  /** Acknowledged, delete not yet committed: never handed out again. */
  private final Set<Long> deleting = new HashSet<>();
  private final Map<OutboxAlarm.Kind, OutboxAlarm> alarms = new EnumMap<>(OutboxAlarm.Kind.class);
  private final List<SalvageReport> salvages = new ArrayList<>();
  private long receiptsOverCap;
  private long appended;
  private long delivered;
  private long commits;
  private long writeFailures;
  private long freeDiskBytes = -1;
  private boolean closed;

  // ---- writer thread only ----
  /** Clock millis of the last expiry sweep. */
  private long lastSweepMillis;
  /** Next seq to assign: above every seq ever used (sqlite_sequence), so seqs never repeat. */
  private long nextSeq = 1;

  private SqliteOutbox(Path file, OutboxOptions options, Connection writeConn, Connection readConn) {
    this.file = file;
    this.options = options;
    this.writeConn = writeConn;
    this.readConn = readConn;
    this.writer = new Thread(this::writerLoop, "storeedge-outbox-writer");
    this.writer.setDaemon(true);
  }

  /**
   * Opens (creating if absent) the outbox in {@code dbFile} and starts its writer thread. A
   * corrupt file is moved aside and its readable entries salvaged into a new file first (see the
   * class comment); this can take a while for a large file.
   *
   * @throws OutboxUnreadableException the file was written by a newer schema; it is untouched
   * @throws IOException the file or its directory cannot be created, opened, or moved aside
   */
  public static SqliteOutbox open(Path dbFile, OutboxOptions options) throws IOException {
    Path file = dbFile.toAbsolutePath();
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Salvage.finishInterrupted(file, options.clock());
    try {
      return openChecked(file, options);
    } catch (Corrupt c) {
      log.error("outbox {} is corrupt ({}); moving it aside and salvaging what can be read", file, c.getMessage());
      SalvageReport report = Salvage.run(file, c.getMessage(), options.clock());
      log.error("outbox {}: corrupt file moved to {}; {} entries salvaged, {} sequence numbers unreadable",
          file, report.movedTo(), report.rowsSalvaged(), report.unreadableSeqs());
      try {
        return openChecked(file, options);
      } catch (Corrupt again) {
        throw new IOException("outbox " + file + " is corrupt right after salvage: " + again.getMessage(), again);
      }
    }
  }

  /** The file is damaged: salvage it. */
  static final class Corrupt extends Exception {
    private static final long serialVersionUID = 1L;

    Corrupt(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static SqliteOutbox openChecked(Path file, OutboxOptions options) throws IOException, Corrupt {
    checkHeader(file);
    Connection w = null;
    Connection r = null;
    try {
      w = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = w.createStatement()) {
        org.storeedge.sync.SqliteFiles.configureDurable(s);
        String integrity = integrityCheck(s);
        if (!"ok".equals(integrity)) {
          throw new Corrupt("integrity check: " + integrity, null);
        }
      }
      migrate(w, file);
      r = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = r.createStatement()) {
        s.execute("PRAGMA busy_timeout=10000");
        s.execute("PRAGMA query_only=1");
      }
      SqliteOutbox outbox = new SqliteOutbox(file, options, w, r);
      outbox.loadCounts();
      outbox.loadNextSeq();
      outbox.loadSalvages();
      outbox.lastSweepMillis = Long.MIN_VALUE; // sweep with the first commit
      outbox.writer.start();
      outbox.ops.add(new Sweep(new CompletableFuture<>()));
      log.info("outbox {} open: {} pending", file, outbox.pendingCount());
      return outbox;
    } catch (SQLException e) {
      closeQuietly(r);
      closeQuietly(w);
      if (isCorruption(e)) {
        throw new Corrupt(e.getMessage(), e);
      }
      throw new IOException("cannot open outbox database " + file + ": " + e.getMessage(), e);
    } catch (OutboxUnreadableException | Corrupt e) {
      closeQuietly(r);
      closeQuietly(w);
      throw e;
    }
  }

  /** "ok", or the first problems found. */
  static String integrityCheck(Statement s) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("PRAGMA integrity_check(20)")) {
      while (rs.next()) {
        lines.add(rs.getString(1));
      }
    }
    return lines.isEmpty() ? "no result" : String.join("; ", lines);
  }

  private static void checkHeader(Path file) throws IOException, Corrupt {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return; // new or empty file: SQLite initialises it
    }
    byte[] head = new byte[SQLITE_HEADER.length];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n < head.length || !Arrays.equals(head, SQLITE_HEADER)) {
      throw new Corrupt("not a SQLite database (bad file header)", null);
    }
  }

  static boolean isCorruption(SQLException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("SQLITE_CORRUPT") || m.contains("SQLITE_NOTADB") || m.contains("malformed")
        || m.contains("not a database");
  }

  static void migrate(Connection c, Path file) throws SQLException, OutboxUnreadableException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)");
      int version = 0;
      try (ResultSet rs = s.executeQuery("SELECT max(version) FROM schema_version")) {
        if (rs.next()) {
          version = rs.getInt(1);
        }
      }
      if (version > SCHEMA_VERSION) {
        c.rollback();
        throw new OutboxUnreadableException(file, "written by a newer schema (version " + version
            + ", this build reads up to " + SCHEMA_VERSION + ")", null);
      }
      if (version < 1) {
        s.execute("""
            CREATE TABLE IF NOT EXISTS entries(
              seq        INTEGER PRIMARY KEY AUTOINCREMENT,
              stream     TEXT    NOT NULL,
              topic      TEXT    NOT NULL,
              key        TEXT    NOT NULL,
              payload    BLOB    NOT NULL,
              size       INTEGER NOT NULL,
              created_ms INTEGER NOT NULL,
              attempts   INTEGER NOT NULL DEFAULT 0)""");
        s.execute("CREATE INDEX IF NOT EXISTS entries_stream_seq ON entries(stream, seq)");
        s.execute("INSERT INTO schema_version(version) VALUES (" + SCHEMA_VERSION + ")");
      }
      // Additive, ignored by older builds: no schema version change.
      s.execute("""
          CREATE TABLE IF NOT EXISTS salvage_log(
            id           INTEGER PRIMARY KEY,
            at_ms        INTEGER NOT NULL,
            moved_to     TEXT    NOT NULL,
            salvaged     INTEGER NOT NULL,
            unreadable   INTEGER NOT NULL,
            detail       TEXT    NOT NULL,
            acknowledged INTEGER NOT NULL DEFAULT 0)""");
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private void loadCounts() throws SQLException {
    try (Statement s = readConn.createStatement();
        ResultSet rs = s.executeQuery("SELECT stream, count(*), sum(size) FROM entries GROUP BY stream")) {
      while (rs.next()) {
        Stream st = parseStream(rs.getString(1));
        pendingCount[st.ordinal()] = rs.getLong(2);
        pendingBytes[st.ordinal()] = rs.getLong(3);
      }
    }
  }

  private void loadNextSeq() throws SQLException {
    try (Statement s = readConn.createStatement();
        ResultSet rs = s.executeQuery("SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name='entries'), 0), "
            + "coalesce((SELECT max(seq) FROM entries), 0))")) {
      nextSeq = rs.next() ? rs.getLong(1) + 1 : 1;
    }
  }

  private void loadSalvages() throws SQLException {
    try (Statement s = readConn.createStatement();
        ResultSet rs = s.executeQuery("SELECT at_ms, moved_to, salvaged, unreadable, detail FROM salvage_log WHERE acknowledged=0 ORDER BY id")) {
      while (rs.next()) {
        SalvageReport r = new SalvageReport(rs.getLong(1), Path.of(rs.getString(2)), rs.getLong(3), rs.getLong(4), rs.getString(5));
        salvages.add(r);
      }
    }
    if (!salvages.isEmpty()) {
      SalvageReport last = salvages.get(salvages.size() - 1);
      alarms.put(OutboxAlarm.Kind.DATABASE_SALVAGED, new OutboxAlarm(OutboxAlarm.Kind.DATABASE_SALVAGED,
          "outbox database was corrupt and moved to " + last.movedTo() + "; " + last.rowsSalvaged()
              + " entries salvaged, " + last.unreadableSeqs() + " sequence numbers unreadable; keep the moved file for analysis",
          last.atMillis()));
    }
  }

  static Stream parseStream(String name) throws SQLException {
    try {
      return Stream.valueOf(name);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new SQLException("SQLITE_CORRUPT: unknown stream '" + name + "' in entries", e);
    }
  }

  public Path file() {
    return file;
  }

  public OutboxOptions options() {
    return options;
  }

  // ------------------------------------------------------------------ producer side

  /**
   * Blocks until the entry is committed (or refused). Safe from any thread; concurrent calls are
   * committed together. An interrupt does not abort the wait (the entry may already be on disk);
   * the interrupt flag is restored on return.
   *
   * @throws OutboxFullException the stream's policy refused the entry (counted in stats)
   * @throws OutboxStorageException the write failed or the outbox is closed
   */
  @Override
  public long append(Stream stream, String topicSuffix, String key, byte[] payload) throws OutboxFullException {
    CompletableFuture<Long> f = appendAsync(stream, topicSuffix, key, payload);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof OutboxFullException full) {
            throw new OutboxFullException(full.getMessage());
          }
          if (c instanceof OutboxStorageException se) {
            throw new OutboxStorageException(se.getMessage(), se);
          }
          throw new OutboxStorageException("append to outbox " + file + " failed: " + c, c);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Queues the entry and returns at once. The future completes with the seq once the entry is on
   * disk (same guarantee as {@link #append} returning), or exceptionally with {@link
   * OutboxFullException} or {@link OutboxStorageException}. Futures complete on the writer thread:
   * do not block in their callbacks. Entries queued by one thread are committed in call order.
   *
   * @throws OutboxStorageException the outbox is closed
   */
  public CompletableFuture<Long> appendAsync(Stream stream, String topicSuffix, String key, byte[] payload) {
    if (stream == null || topicSuffix == null || key == null || payload == null) {
      throw new IllegalArgumentException("stream, topicSuffix, key and payload must be non-null");
    }
    if (topicSuffix.isEmpty() || topicSuffix.contains("+") || topicSuffix.contains("#")) {
      throw new IllegalArgumentException("topicSuffix must be a non-empty topic without wildcards (got: '" + topicSuffix + "')");
    }
    Append op = new Append(stream, topicSuffix, key, payload.clone(), new CompletableFuture<>());
    synchronized (state) {
      if (closed) {
        throw new OutboxStorageException("outbox " + file + " is closed", null);
      }
      ops.add(op);
    }
    return op.result;
  }

  /**
   * Deletes entries older than their stream's maxAge now (normally done every sweepInterval) and
   * blocks until that committed; returns how many expired.
   */
  public long expireNow() {
    Sweep op = new Sweep(new CompletableFuture<>());
    synchronized (state) {
      if (closed) {
        throw new OutboxStorageException("outbox " + file + " is closed", null);
      }
      ops.add(op);
    }
    return await(op.result, "expiry");
  }

  /** Waits (at most 5 minutes) for an operation the writer thread completes; {@code what} names it in errors. */
  private <T> T await(CompletableFuture<T> result, String what) {
    try {
      return result.get(5, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OutboxStorageException("interrupted waiting for " + what + " on " + file, e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      throw new OutboxStorageException(what + " on outbox " + file + " failed: " + c.getMessage(), c);
    }
  }

  // ------------------------------------------------------------------ uplink side

  /**
   * Up to {@code max} pending entries not in flight, receipts first, FIFO per stream. The
   * returned entries are in flight until {@link #markDelivered}, {@link #release} or {@link
   * #giveBack}.
   */
  public List<OutboxEntry> nextBatch(int max) {
    if (max <= 0) {
      return List.of();
    }
    List<OutboxEntry> out = new ArrayList<>(Math.min(max, 1024));
    // Holding `state` across the read keeps the writer from forgetting a just-deleted seq
    // between our read and our filtering.
    synchronized (state) {
      if (closed) {
        return List.of();
      }
      for (Stream st : STREAMS) {
        int need = max - out.size();
        if (need <= 0) {
          break;
        }
        if (pendingCount[st.ordinal()] == 0) {
          continue;
        }
        int skip = inFlight.size() + deleting.size();
        try (PreparedStatement ps = readConn.prepareStatement(
            "SELECT seq, topic, key, payload, created_ms, attempts FROM entries WHERE stream=? AND seq>? ORDER BY seq LIMIT ?")) {
          ps.setString(1, st.name());
          ps.setLong(2, cursor[st.ordinal()]);
          ps.setInt(3, need + skip);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next() && out.size() < max) {
              long seq = rs.getLong(1);
              if (inFlight.containsKey(seq) || deleting.contains(seq)) {
                continue;
              }
              out.add(new OutboxEntry(seq, st, rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getLong(5), rs.getInt(6)));
              inFlight.put(seq, st);
              cursor[st.ordinal()] = Math.max(cursor[st.ordinal()], seq);
            }
          }
        } catch (SQLException e) {
          log.error("outbox {}: reading pending entries failed: {}", file, e.getMessage());
          break;
        }
      }
    }
    return out;
  }

  /** The broker acknowledged {@code seq}: delete it. Does not wait; never throws. */
  public void markDelivered(long seq) {
    markDelivered(List.of(seq));
  }

  /** The broker acknowledged these entries: delete them. Does not wait; never throws. */
  public void markDelivered(Collection<Long> seqs) {
    if (seqs.isEmpty()) {
      return;
    }
    synchronized (state) {
      if (closed) {
        return; // still on disk: sent again after restart (same idempotency key)
      }
      for (Long seq : seqs) {
        inFlight.remove(seq);
        deleting.add(seq);
      }
      ops.add(new Deliver(List.copyOf(seqs)));
    }
  }

  /**
   * These in-flight entries were not acknowledged (send failed, connection lost): they become
   * pending again, ahead of later entries of their stream, and their attempt count goes up.
   */
  public void release(Collection<Long> seqs) {
    List<Long> released = unInFlight(seqs);
    if (!released.isEmpty()) {
      synchronized (state) {
        if (!closed) {
          ops.add(new Release(released));
        }
      }
    }
  }

  /**
   * These in-flight entries were never sent (taken by {@link #nextBatch} but not published): they
   * become pending again, ahead of later entries of their stream; the attempt count is unchanged.
   */
  public void giveBack(Collection<Long> seqs) {
    unInFlight(seqs);
  }

  /**
   * Replaces the payloads of entries the caller holds in flight (taken by {@link #nextBatch}, not
   * yet sent), keeping their seq, stream, topic and key; blocks until committed and returns how
   * many were replaced (an entry expired meanwhile is not). Used to take an erased customer's token
   * out of other people's messages before they are sent. Hand the entries back afterwards.
   *
   * @throws IllegalArgumentException an entry is not in flight
   * @throws OutboxStorageException the write failed or the outbox is closed
   */
  public int rewrite(Map<Long, byte[]> payloads) {
    if (payloads.isEmpty()) {
      return 0;
    }
    Map<Long, byte[]> copy = new LinkedHashMap<>();
    Rewrite op = new Rewrite(copy, new CompletableFuture<>());
    synchronized (state) {
      if (closed) {
        throw new OutboxStorageException("outbox " + file + " is closed", null);
      }
      payloads.forEach((seq, p) -> {
        if (!inFlight.containsKey(seq)) {
          throw new IllegalArgumentException("entry " + seq + " is not in flight: take it with nextBatch first");
        }
        copy.put(seq, p.clone());
      });
      ops.add(op);
    }
    return await(op.result, "rewriting entries");
  }

  private List<Long> unInFlight(Collection<Long> seqs) {
    if (seqs.isEmpty()) {
      return List.of();
    }
    List<Long> back = new ArrayList<>(seqs.size());
    synchronized (state) {
      for (Long seq : seqs) {
        Stream st = inFlight.remove(seq);
        if (st != null) {
          cursor[st.ordinal()] = Math.min(cursor[st.ordinal()], seq - 1);
          back.add(seq);
        }
      }
    }
    return back;
  }

  /** Releases every in-flight entry (see {@link #release}). */
  public void releaseAll() {
    List<Long> all;
    synchronized (state) {
      all = new ArrayList<>(inFlight.keySet());
    }
    release(all);
  }

  /**
   * Registers a listener run on the writer thread after every commit that changed the pending
   * set (new entries, deletions). It must not block and must not call {@link #append}.
   */
  public void addListener(Runnable listener) {
    listeners.add(listener);
  }

  public void removeListener(Runnable listener) {
    listeners.remove(listener);
  }

  /** Entries on disk not yet acknowledged (in-flight ones included). */
  @Override
  public long pendingCount() {
    synchronized (state) {
      long n = 0;
      for (long c : pendingCount) {
        n += c;
      }
      return n;
    }
  }

  public Map<Stream, Long> pendingByStream() {
    synchronized (state) {
      return perStream(pendingCount);
    }
  }

  /**
   * Age in milliseconds (by the options' clock) of the oldest entry of {@code stream} not yet
   * acknowledged, empty when the stream has none. A growing age while connected means "connected
   * but not forwarding".
   */
  public OptionalLong oldestPendingMillis(Stream stream) {
    synchronized (state) {
      return oldestLocked(stream);
    }
  }

  private OptionalLong oldestLocked(Stream stream) {
    if (closed || pendingCount[stream.ordinal()] == 0) {
      return OptionalLong.empty();
    }
    try (PreparedStatement ps = readConn.prepareStatement(
        "SELECT seq, created_ms FROM entries WHERE stream=? ORDER BY seq LIMIT ?")) {
      ps.setString(1, stream.name());
      ps.setInt(2, deleting.size() + 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (!deleting.contains(rs.getLong(1))) {
            return OptionalLong.of(Math.max(0, options.clock().millis() - rs.getLong(2)));
          }
        }
      }
    } catch (SQLException e) {
      log.error("outbox {}: reading oldest entry failed: {}", file, e.getMessage());
    }
    return OptionalLong.empty();
  }

  /**
   * Blocks the caller until nothing is pending or {@code wallTimeout} passes; true when empty.
   * Entries still being appended by others count as they commit.
   */
  public boolean awaitEmpty(Duration wallTimeout) throws InterruptedException {
    long deadline = System.nanoTime() + wallTimeout.toNanos();
    synchronized (state) {
      while (true) {
        long n = 0;
        for (long c : pendingCount) {
          n += c;
        }
        if (n == 0) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || closed) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(state, left);
      }
    }
  }

  /**
   * Active alarms, most severe first. Poll it (e.g. every minute) and publish an alert when one
   * appears; {@link OutboxAlarm#sinceMillis()} tells a new alarm from one already reported.
   */
  public List<OutboxAlarm> alarms() {
    synchronized (state) {
      return List.copyOf(alarms.values());
    }
  }

  /** Salvages of this database not yet acknowledged, oldest first (they survive restarts). */
  public List<SalvageReport> salvageReports() {
    synchronized (state) {
      return List.copyOf(salvages);
    }
  }

  public Optional<SalvageReport> lastSalvage() {
    synchronized (state) {
      return salvages.isEmpty() ? Optional.empty() : Optional.of(salvages.get(salvages.size() - 1));
    }
  }

  /**
   * An operator has seen the salvage reports: clears the {@code DATABASE_SALVAGED} alarm, also on
   * disk. The moved-aside files stay where they are.
   */
  public void acknowledgeSalvage() {
    Ack op = new Ack(new CompletableFuture<>());
    synchronized (state) {
      if (closed) {
        throw new OutboxStorageException("outbox " + file + " is closed", null);
      }
      ops.add(op);
    }
    try {
      op.result.get(5, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OutboxStorageException("interrupted acknowledging salvage on " + file, e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new OutboxStorageException("acknowledging salvage on " + file + " failed: " + e, e);
    }
  }

  public OutboxStats stats() {
    long fileBytes = fileBytes();
    synchronized (state) {
      EnumMap<Stream, Long> oldest = new EnumMap<>(Stream.class);
      for (Stream st : STREAMS) {
        oldestLocked(st).ifPresent(a -> oldest.put(st, a));
      }
      return new OutboxStats(perStream(pendingCount), perStream(pendingBytes), perStream(dropped),
          perStream(refused), perStream(expired), perStream(refusedLowDisk), Collections.unmodifiableMap(oldest),
          receiptsOverCap, appended, delivered, commits, writeFailures, freeDiskBytes, fileBytes,
          List.copyOf(alarms.values()));
    }
  }

  /** Database file plus WAL, bytes; -1 when unknown. */
  public long fileBytes() {
    try {
      long n = Files.size(file);
      Path wal = file.resolveSibling(file.getFileName() + "-wal");
      if (Files.exists(wal)) {
        n += Files.size(wal);
      }
      return n;
    } catch (IOException e) {
      return -1;
    }
  }

  private static Map<Stream, Long> perStream(long[] values) {
    EnumMap<Stream, Long> m = new EnumMap<>(Stream.class);
    for (Stream st : STREAMS) {
      m.put(st, values[st.ordinal()]);
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * Commits what is queued, stops the writer, checkpoints the WAL and closes the file. Appends
   * racing with close either commit or fail with OutboxStorageException. Idempotent.
   */
  @Override
  public void close() {
    synchronized (state) {
      if (closed) {
        return;
      }
      closed = true;
      ops.add(new Close());
      state.notifyAll();
    }
    try {
      writer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      log.error("outbox {}: writer did not stop within 30 s; closing anyway", file);
    }
    try (Statement s = writeConn.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      log.warn("outbox {}: checkpoint on close failed: {}", file, e.getMessage());
    }
    synchronized (state) {
      closeQuietly(readConn);
    }
    closeQuietly(writeConn);
    log.info("outbox {} closed", file);
  }

  static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        log.debug("closing connection: {}", e.getMessage());
      }
    }
  }

  // ------------------------------------------------------------------ writer thread

  private sealed interface Op permits Append, Deliver, Release, Rewrite, Sweep, Ack, Close {}

  private record Append(Stream stream, String topic, String key, byte[] payload, CompletableFuture<Long> result) implements Op {
    long size() {
      return payload.length + topic.getBytes(StandardCharsets.UTF_8).length
          + key.getBytes(StandardCharsets.UTF_8).length + ROW_OVERHEAD_BYTES;
    }
  }

  private record Deliver(List<Long> seqs) implements Op {}

  private record Release(List<Long> seqs) implements Op {}

  private record Rewrite(Map<Long, byte[]> payloads, CompletableFuture<Integer> result) implements Op {}

  private record Sweep(CompletableFuture<Long> result) implements Op {}

  private record Ack(CompletableFuture<Void> result) implements Op {}

  private record Close() implements Op {}

  private void writerLoop() {
    List<Op> batch = new ArrayList<>();
    boolean stop = false;
    long idleWaitMillis = Math.max(10, Math.min(1000, options.sweepInterval().toMillis()));
    while (!stop) {
      try {
        // Wakes up now and then even when idle so that expiry runs on schedule.
        Op first = ops.poll(idleWaitMillis, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
        }
      } catch (InterruptedException e) {
        continue; // only close() stops the writer, after committing what is queued
      }
      ops.drainTo(batch, options.maxOpsPerCommit() - 1);
      for (Op op : batch) {
        stop |= op instanceof Close;
      }
      if (batch.isEmpty() && !sweepDue()) {
        continue;
      }
      try {
        commitBatch(batch);
      } catch (RuntimeException e) {
        log.error("outbox {}: writer failed on a batch", file, e);
      }
      batch.clear();
    }
    // Anything that raced in after Close: fail it, it was not stored.
    List<Op> rest = new ArrayList<>();
    ops.drainTo(rest);
    for (Op op : rest) {
      OutboxStorageException closedEx = new OutboxStorageException("outbox " + file + " is closed", null);
      if (op instanceof Append a) {
        a.result.completeExceptionally(closedEx);
      } else if (op instanceof Sweep s) {
        s.result.completeExceptionally(closedEx);
      } else if (op instanceof Ack a) {
        a.result.completeExceptionally(closedEx);
      } else if (op instanceof Rewrite w) {
        w.result.completeExceptionally(closedEx);
      }
    }
  }

  private boolean sweepDue() {
    long now = options.clock().millis();
    // A clock that went back also triggers a sweep (and restarts the interval).
    return lastSweepMillis == Long.MIN_VALUE || now < lastSweepMillis
        || now - lastSweepMillis >= options.sweepInterval().toMillis();
  }

  /** Per-transaction working copy of the counts; published to `state` only after commit. */
  private final class Tx {
    final long[] count;
    final long[] bytes;
    final long[] droppedNow = new long[STREAMS.length];
    final long[] refusedNow = new long[STREAMS.length];
    final long[] expiredNow = new long[STREAMS.length];
    final long[] refusedDiskNow = new long[STREAMS.length];
    long overCapNow;
    long appendedNow;
    long deliveredNow;
    long insertedBytes;
    final long freeDisk;
    final List<Long> deletedSeqs = new ArrayList<>();
    final Map<Append, Long> accepted = new HashMap<>();
    final Map<Append, Exception> refusals = new HashMap<>();
    final List<Sweep> sweeps = new ArrayList<>();
    final List<Ack> acks = new ArrayList<>();
    final Map<Rewrite, Integer> rewrites = new HashMap<>();
    long expiredTotal;
    boolean acknowledgedSalvage;
    PreparedStatement insert;
    long now;
    int batched;

    void flushInserts() throws SQLException {
      if (batched > 0) {
        int[] counts = insert.executeBatch();
        batched = 0;
        for (int c : counts) {
          if (c != 1 && c != Statement.SUCCESS_NO_INFO) {
            throw new SQLException("an insert into entries stored " + c + " rows");
          }
        }
      }
    }

    Tx(long freeDisk) {
      this.freeDisk = freeDisk;
      synchronized (state) {
        count = pendingCount.clone();
        bytes = pendingBytes.clone();
      }
    }

    long total() {
      long t = 0;
      for (long b : bytes) {
        t += b;
      }
      return t;
    }
  }

  private long probeFreeSpace() {
    try {
      Path dir = file.getParent() == null ? file.toAbsolutePath().getParent() : file.getParent();
      return options.freeSpace().usableBytes(dir);
    } catch (IOException | RuntimeException e) {
      log.debug("outbox {}: free space unknown: {}", file, e.toString());
      return -1;
    }
  }

  private void commitBatch(List<Op> batch) {
    Tx tx = new Tx(probeFreeSpace());
    boolean changed = false;
    boolean sweep = sweepDue();
    long seqAtStart = nextSeq;
    try {
      writeConn.setAutoCommit(false);
      try (PreparedStatement insert = writeConn.prepareStatement(
              "INSERT INTO entries(seq, stream, topic, key, payload, size, created_ms, attempts) VALUES (?,?,?,?,?,?,?,0)");
          PreparedStatement delete = writeConn.prepareStatement("DELETE FROM entries WHERE seq=? RETURNING stream, size")) {
        tx.insert = insert;
        tx.now = options.clock().millis();
        for (Op op : batch) {
          if (op instanceof Sweep s) {
            tx.sweeps.add(s);
            sweep = true;
          }
        }
        if (sweep) {
          changed |= expire(tx, delete);
        }
        List<Long> acked = new ArrayList<>();
        List<Long> released = new ArrayList<>();
        for (Op op : batch) {
          if (op instanceof Append a) {
            changed |= applyAppend(tx, a, delete);
          } else if (op instanceof Deliver d) {
            acked.addAll(d.seqs());
          } else if (op instanceof Release r) {
            released.addAll(r.seqs());
          } else if (op instanceof Rewrite w) {
            changed |= applyRewrite(tx, w);
          } else if (op instanceof Ack a) {
            try (Statement s = writeConn.createStatement()) {
              s.executeUpdate("UPDATE salvage_log SET acknowledged=1 WHERE acknowledged=0");
            }
            tx.acks.add(a);
            tx.acknowledgedSalvage = true;
          }
        }
        tx.flushInserts();
        if (!acked.isEmpty()) {
          changed |= deleteDelivered(tx, acked);
        }
        if (!released.isEmpty()) {
          try (PreparedStatement ps = writeConn.prepareStatement(
              "UPDATE entries SET attempts=attempts+1 WHERE seq IN (SELECT value FROM json_each(?))")) {
            ps.setString(1, jsonArray(released));
            ps.executeUpdate();
          }
        }
      }
      writeConn.commit();
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      nextSeq = seqAtStart;
      String msg = e.getMessage();
      synchronized (state) {
        writeFailures++;
        alarms.put(OutboxAlarm.Kind.WRITE_FAILING, new OutboxAlarm(OutboxAlarm.Kind.WRITE_FAILING,
            "outbox " + file + ": commit failed: " + msg
                + (e instanceof SQLException se && isCorruption(se) ? " (database corrupt: restart the agent to salvage it)" : ""),
            options.clock().millis()));
        // Acknowledged entries stay on disk: let them be sent again rather than lost.
        for (Op op : batch) {
          if (op instanceof Deliver d) {
            d.seqs().forEach(deleting::remove);
          }
        }
      }
      log.error("outbox {}: commit of {} operations failed: {}", file, batch.size(), msg);
      for (Op op : batch) {
        OutboxStorageException ex = new OutboxStorageException("write to outbox " + file + " failed: " + msg, e);
        if (op instanceof Append a) {
          a.result.completeExceptionally(ex);
        } else if (op instanceof Sweep s) {
          s.result.completeExceptionally(ex);
        } else if (op instanceof Ack a) {
          a.result.completeExceptionally(ex);
        } else if (op instanceof Rewrite w) {
          w.result.completeExceptionally(ex);
        }
      }
      return;
    } finally {
      try {
        writeConn.setAutoCommit(true);
      } catch (SQLException e) {
        log.debug("autocommit reset: {}", e.getMessage());
      }
    }
    if (sweep) {
      lastSweepMillis = options.clock().millis();
    }
    long now = options.clock().millis();
    synchronized (state) {
      System.arraycopy(tx.count, 0, pendingCount, 0, pendingCount.length);
      System.arraycopy(tx.bytes, 0, pendingBytes, 0, pendingBytes.length);
      for (int i = 0; i < STREAMS.length; i++) {
        dropped[i] += tx.droppedNow[i];
        refused[i] += tx.refusedNow[i];
        expired[i] += tx.expiredNow[i];
        refusedLowDisk[i] += tx.refusedDiskNow[i];
      }
      receiptsOverCap += tx.overCapNow;
      appended += tx.appendedNow;
      delivered += tx.deliveredNow;
      commits++;
      freeDiskBytes = tx.freeDisk;
      tx.deletedSeqs.forEach(deleting::remove);
      updateAlarmsLocked(tx, now);
      state.notifyAll();
    }
    tx.accepted.forEach((a, seq) -> a.result.complete(seq));
    tx.refusals.forEach((a, ex) -> a.result.completeExceptionally(ex));
    tx.sweeps.forEach(s -> s.result.complete(tx.expiredTotal));
    tx.acks.forEach(a -> a.result.complete(null));
    tx.rewrites.forEach((w, n) -> w.result.complete(n));
    if (changed) {
      for (Runnable l : listeners) {
        try {
          l.run();
        } catch (RuntimeException e) {
          log.error("outbox listener failed", e);
        }
      }
    }
  }

  private void updateAlarmsLocked(Tx tx, long now) {
    if (alarms.remove(OutboxAlarm.Kind.WRITE_FAILING) != null) {
      log.info("outbox {}: writes succeed again", file);
    }
    if (tx.acknowledgedSalvage) {
      salvages.clear();
      alarms.remove(OutboxAlarm.Kind.DATABASE_SALVAGED);
    }
    long threshold = 0;
    Stream firstRefused = null;
    for (Stream st : STREAMS) {
      long min = options.policy(st).minFreeDiskBytes();
      if (min > threshold) {
        threshold = min;
      }
    }
    for (int i = STREAMS.length - 1; i >= 0; i--) {
      long min = options.policy(STREAMS[i]).minFreeDiskBytes();
      if (min > 0 && tx.freeDisk >= 0 && tx.freeDisk < min) {
        firstRefused = STREAMS[i];
      }
    }
    boolean low = tx.freeDisk >= 0 && threshold > 0 && tx.freeDisk < threshold;
    OutboxAlarm disk = alarms.get(OutboxAlarm.Kind.DISK_NEARLY_FULL);
    if (low && disk == null) {
      String msg = "disk nearly full: " + tx.freeDisk + " bytes free for " + file + "; refusing new entries from "
          + firstRefused + " down (receipts are still accepted)";
      alarms.put(OutboxAlarm.Kind.DISK_NEARLY_FULL, new OutboxAlarm(OutboxAlarm.Kind.DISK_NEARLY_FULL, msg, now));
      log.error("outbox {}", msg);
    } else if (!low && disk != null) {
      alarms.remove(OutboxAlarm.Kind.DISK_NEARLY_FULL);
      log.info("outbox {}: free disk back to {} bytes", file, tx.freeDisk);
    }
    boolean over = tx.total() > options.maxBytes() && tx.count[Stream.RECEIPTS.ordinal()] > 0;
    OutboxAlarm cap = alarms.get(OutboxAlarm.Kind.RECEIPTS_OVER_CAP);
    if (over && cap == null && tx.overCapNow > 0) {
      String msg = "outbox " + file + " is over its cap of " + options.maxBytes() + " bytes with "
          + tx.count[Stream.RECEIPTS.ordinal()] + " undelivered receipts (receipts are never refused)";
      alarms.put(OutboxAlarm.Kind.RECEIPTS_OVER_CAP, new OutboxAlarm(OutboxAlarm.Kind.RECEIPTS_OVER_CAP, msg, now));
      log.warn(msg);
    } else if (!over && cap != null) {
      alarms.remove(OutboxAlarm.Kind.RECEIPTS_OVER_CAP);
    }
  }

  /** Deletes entries older than their stream's maxAge, oldest (by seq) first; true if any. */
  private boolean expire(Tx tx, PreparedStatement delete) throws SQLException {
    long now = options.clock().millis();
    boolean any = false;
    for (Stream st : STREAMS) {
      Duration maxAge = options.policy(st).maxAge();
      if (maxAge.isZero() || st == Stream.RECEIPTS || tx.count[st.ordinal()] == 0) {
        continue;
      }
      long cutoff = now - maxAge.toMillis();
      boolean more = true;
      long after = Long.MIN_VALUE;
      while (more) {
        more = false;
        List<Long> victims = new ArrayList<>();
        try (PreparedStatement ps = writeConn.prepareStatement(
            "SELECT seq, created_ms FROM entries WHERE stream=? AND seq>? ORDER BY seq LIMIT 256")) {
          ps.setString(1, st.name());
          ps.setLong(2, after);
          try (ResultSet rs = ps.executeQuery()) {
            int n = 0;
            boolean younger = false;
            while (rs.next()) {
              n++;
              long seq = rs.getLong(1);
              after = seq;
              // Walks from the oldest and stops at the first entry young enough to keep, so a
              // clock that went back never expires newer entries before older ones.
              if (rs.getLong(2) > cutoff) {
                younger = true;
                break;
              }
              victims.add(seq);
            }
            more = !younger && n == 256;
          }
        }
        for (long seq : victims) {
          if (deleteRow(tx, delete, seq) != null) {
            tx.expiredNow[st.ordinal()]++;
            tx.expiredTotal++;
            tx.deletedSeqs.add(seq);
            any = true;
          }
        }
      }
      if (tx.expiredNow[st.ordinal()] > 0) {
        log.info("outbox {}: {} {} entries older than {} expired undelivered", file, tx.expiredNow[st.ordinal()], st, maxAge);
      }
    }
    return any;
  }

  private boolean applyRewrite(Tx tx, Rewrite w) throws SQLException {
    int n = 0;
    try (PreparedStatement find = writeConn.prepareStatement("SELECT stream, size, topic, key FROM entries WHERE seq=?");
        PreparedStatement update = writeConn.prepareStatement("UPDATE entries SET payload=?, size=? WHERE seq=?")) {
      for (Map.Entry<Long, byte[]> en : w.payloads().entrySet()) {
        find.setLong(1, en.getKey());
        try (ResultSet rs = find.executeQuery()) {
          if (!rs.next()) {
            continue; // expired meanwhile
          }
          Stream st = parseStream(rs.getString(1));
          long oldSize = rs.getLong(2);
          long newSize = en.getValue().length + rs.getString(3).getBytes(StandardCharsets.UTF_8).length
              + rs.getString(4).getBytes(StandardCharsets.UTF_8).length + ROW_OVERHEAD_BYTES;
          update.setBytes(1, en.getValue());
          update.setLong(2, newSize);
          update.setLong(3, en.getKey());
          update.executeUpdate();
          tx.bytes[st.ordinal()] += newSize - oldSize;
          n++;
        }
      }
    }
    tx.rewrites.put(w, n);
    return false; // the pending set is the same
  }

  private static String jsonArray(List<Long> seqs) {
    StringBuilder b = new StringBuilder(seqs.size() * 8 + 2).append('[');
    for (int i = 0; i < seqs.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(seqs.get(i).longValue());
    }
    return b.append(']').toString();
  }

  /** Deletes acknowledged entries in two statements; entries already gone (evicted, expired) are skipped. */
  private boolean deleteDelivered(Tx tx, List<Long> seqs) throws SQLException {
    String arr = jsonArray(seqs);
    long n = 0;
    try (PreparedStatement ps = writeConn.prepareStatement(
        "SELECT stream, count(*), sum(size) FROM entries WHERE seq IN (SELECT value FROM json_each(?)) GROUP BY stream")) {
      ps.setString(1, arr);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Stream st = parseStream(rs.getString(1));
          tx.count[st.ordinal()] -= rs.getLong(2);
          tx.bytes[st.ordinal()] -= rs.getLong(3);
          n += rs.getLong(2);
        }
      }
    }
    try (PreparedStatement ps = writeConn.prepareStatement("DELETE FROM entries WHERE seq IN (SELECT value FROM json_each(?))")) {
      ps.setString(1, arr);
      int deleted = ps.executeUpdate();
      if (deleted != n) {
        throw new SQLException("deleted " + deleted + " acknowledged entries, counted " + n);
      }
    }
    tx.deliveredNow += n;
    tx.deletedSeqs.addAll(seqs);
    return n > 0;
  }

  /** Applies disk and byte caps, then inserts; returns true when the pending set changed. */
  private boolean applyAppend(Tx tx, Append a, PreparedStatement delete) throws SQLException {
    Stream st = a.stream();
    StreamPolicy policy = options.policy(st);
    long size = a.size();
    boolean changed = false;
    long minFree = policy.minFreeDiskBytes();
    if (minFree > 0 && tx.freeDisk >= 0 && tx.freeDisk - tx.insertedBytes - size < minFree) {
      tx.refusedDiskNow[st.ordinal()]++;
      tx.refusals.put(a, new Outbox.OutboxFullException("disk nearly full for outbox " + file + ": "
          + (tx.freeDisk - tx.insertedBytes) + " bytes free, " + st + " is refused below " + minFree
          + " bytes free (receipts are still accepted)"));
      return false;
    }
    if (policy.ownMaxBytes() > 0) {
      long over = tx.bytes[st.ordinal()] + size - policy.ownMaxBytes();
      if (over > 0 && policy.overflow() == StreamPolicy.Overflow.DROP_OLDEST) {
        // A stream with its own cap drops its oldest entries first.
        changed |= evictOldest(tx, st, over, delete) > 0;
      } else if (over > 0 && policy.overflow() == StreamPolicy.Overflow.REFUSE) {
        tx.refusedNow[st.ordinal()]++;
        tx.refusals.put(a, new Outbox.OutboxFullException("outbox " + file + " is full for " + st + ": "
            + tx.bytes[st.ordinal()] + " of its own cap of " + policy.ownMaxBytes() + " bytes pending (entry "
            + size + " bytes refused)"));
        return false;
      }
    }
    long limit = (long) (options.maxBytes() * policy.fillLimit());
    long over = tx.total() + size - limit;
    if (over > 0) {
      // Make room by evicting from DROP_OLDEST streams, lowest priority first.
      for (int i = STREAMS.length - 1; i >= 0 && over > 0; i--) {
        Stream victim = STREAMS[i];
        if (options.policy(victim).overflow() == StreamPolicy.Overflow.DROP_OLDEST) {
          long freed = evictOldest(tx, victim, over, delete);
          changed |= freed > 0;
          over -= freed;
        }
      }
    }
    if (over > 0) {
      if (policy.overflow() == StreamPolicy.Overflow.KEEP_ALL) {
        tx.overCapNow++;
      } else {
        tx.refusedNow[st.ordinal()]++;
        tx.refusals.put(a, new Outbox.OutboxFullException("outbox " + file + " is full for " + st
            + ": " + tx.total() + " of " + options.maxBytes() + " bytes pending, " + st + " accepted up to "
            + Math.round(policy.fillLimit() * 100) + " % (entry " + size + " bytes refused)"));
        return changed;
      }
    }
    long seq = nextSeq++;
    PreparedStatement insert = tx.insert;
    insert.setLong(1, seq);
    insert.setString(2, st.name());
    insert.setString(3, a.topic());
    insert.setString(4, a.key());
    insert.setBytes(5, a.payload());
    insert.setLong(6, size);
    insert.setLong(7, tx.now);
    insert.addBatch();
    tx.batched++;
    tx.count[st.ordinal()]++;
    tx.bytes[st.ordinal()] += size;
    tx.insertedBytes += size;
    tx.appendedNow++;
    tx.accepted.put(a, seq);
    return true;
  }

  /** Deletes the oldest entries of {@code st} until at least {@code bytes} are freed; returns bytes freed. */
  private long evictOldest(Tx tx, Stream st, long bytes, PreparedStatement delete) throws SQLException {
    tx.flushInserts(); // the oldest may be among this transaction's own inserts
    long freed = 0;
    while (freed < bytes && tx.count[st.ordinal()] > 0) {
      List<Long> victims = new ArrayList<>();
      try (PreparedStatement ps = writeConn.prepareStatement(
          "SELECT seq FROM entries WHERE stream=? ORDER BY seq LIMIT 64")) {
        ps.setString(1, st.name());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            victims.add(rs.getLong(1));
          }
        }
      }
      if (victims.isEmpty()) {
        break;
      }
      for (long seq : victims) {
        if (freed >= bytes) {
          break;
        }
        Long size = deleteRow(tx, delete, seq);
        if (size != null) {
          freed += size;
          tx.droppedNow[st.ordinal()]++;
          tx.deletedSeqs.add(seq);
        }
      }
    }
    return freed;
  }

  /** Deletes one row, updating the transaction's counts; returns its size or null if absent. */
  private Long deleteRow(Tx tx, PreparedStatement delete, long seq) throws SQLException {
    delete.setLong(1, seq);
    try (ResultSet rs = delete.executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      Stream st = parseStream(rs.getString(1));
      long size = rs.getLong(2);
      tx.count[st.ordinal()]--;
      tx.bytes[st.ordinal()] -= size;
      return size;
    }
  }

  private void rollbackQuietly() {
    try {
      writeConn.rollback();
    } catch (SQLException e) {
      log.debug("rollback: {}", e.getMessage());
    }
  }
}
