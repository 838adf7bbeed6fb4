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
import java.util.List;
import java.util.Map;
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
 *     |  blocks until                 BEGIN; caps; INSERT/DELETE...; COMMIT (fsync)
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
 * handed out again until {@link #release}d (send failed, connection lost) or deleted. Order is
 * FIFO per stream by {@code seq}; streams are served in {@link Stream} order.
 *
 * <p>Never deletes, truncates or rewrites a file it cannot read: {@link #open} throws {@link
 * OutboxUnreadableException} instead.
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
  /** Highest seq handed out per stream; nextBatch reads above it. */
  private final long[] cursor = new long[STREAMS.length];
  /** Handed out by nextBatch, not yet acknowledged or released: seq -> stream. */
  private final Map<Long, Stream> inFlight = new HashMap<>();
  /** Acknowledged, delete not yet committed: never handed out again. */
  private final Set<Long> deleting = new HashSet<>();
  private long receiptsOverCap;
  private long appended;
  private long delivered;
  private long commits;
  private long writeFailures;
  private boolean closed;
  /** Writer thread only: the over-cap alarm was logged and the outbox has not dropped below the cap since. */
  private boolean overCapWarned;

  private SqliteOutbox(Path file, OutboxOptions options, Connection writeConn, Connection readConn) {
    this.file = file;
    this.options = options;
    this.writeConn = writeConn;
    this.readConn = readConn;
    this.writer = new Thread(this::writerLoop, "storeedge-outbox-writer");
    this.writer.setDaemon(true);
  }

  /**
   * Opens (creating if absent) the outbox in {@code dbFile} and starts its writer thread.
   *
   * @throws OutboxUnreadableException the file exists but is not a usable outbox; it is untouched
   * @throws IOException the file or its directory cannot be created or opened
   */
  public static SqliteOutbox open(Path dbFile, OutboxOptions options) throws IOException {
    Path file = dbFile.toAbsolutePath();
    checkHeader(file);
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Connection w = null;
    Connection r = null;
    try {
      w = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = w.createStatement()) {
        // Fails with SQLITE_NOTADB on a damaged header before anything is written.
        s.execute("PRAGMA busy_timeout=10000");
        s.executeQuery("SELECT count(*) FROM sqlite_master").close();
        try (ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
          String mode = rs.next() ? rs.getString(1) : "?";
          if (!"wal".equalsIgnoreCase(mode)) {
            throw new SQLException("could not switch to WAL journal (got: " + mode + ")");
          }
        }
        s.execute("PRAGMA synchronous=FULL");
      }
      migrate(w, file);
      r = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = r.createStatement()) {
        s.execute("PRAGMA busy_timeout=10000");
        s.execute("PRAGMA query_only=1");
      }
      SqliteOutbox outbox = new SqliteOutbox(file, options, w, r);
      outbox.loadCounts();
      outbox.writer.start();
      log.info("outbox {} open: {} pending", file, outbox.pendingCount());
      return outbox;
    } catch (SQLException e) {
      closeQuietly(r);
      closeQuietly(w);
      if (isCorruption(e)) {
        throw new OutboxUnreadableException(file, e.getMessage(), e);
      }
      throw new IOException("cannot open outbox database " + file + ": " + e.getMessage(), e);
    } catch (OutboxUnreadableException e) {
      closeQuietly(r);
      closeQuietly(w);
      throw e;
    }
  }

  private static void checkHeader(Path file) throws IOException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return; // new or empty file: SQLite initialises it
    }
    byte[] head = new byte[SQLITE_HEADER.length];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n < head.length || !Arrays.equals(head, SQLITE_HEADER)) {
      throw new OutboxUnreadableException(file, "not a SQLite database (bad file header)", null);
    }
  }

  private static boolean isCorruption(SQLException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("SQLITE_CORRUPT") || m.contains("SQLITE_NOTADB") || m.contains("malformed")
        || m.contains("not a database") || m.contains("newer schema");
  }

  private static void migrate(Connection c, Path file) throws SQLException, OutboxUnreadableException {
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

  private static Stream parseStream(String name) throws SQLException {
    try {
      return Stream.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new SQLException("SQLITE_CORRUPT: unknown stream '" + name + "' in entries", e);
    }
  }

  public Path file() {
    return file;
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
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return op.result.get();
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

  // ------------------------------------------------------------------ uplink side

  /**
   * Up to {@code max} pending entries not in flight, receipts first, FIFO per stream. The
   * returned entries are in flight until {@link #markDelivered} or {@link #release}.
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
    if (seqs.isEmpty()) {
      return;
    }
    List<Long> released = new ArrayList<>(seqs.size());
    synchronized (state) {
      for (Long seq : seqs) {
        Stream st = inFlight.remove(seq);
        if (st != null) {
          cursor[st.ordinal()] = Math.min(cursor[st.ordinal()], seq - 1);
          released.add(seq);
        }
      }
      if (!closed && !released.isEmpty()) {
        ops.add(new Release(released));
      }
    }
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
      EnumMap<Stream, Long> m = new EnumMap<>(Stream.class);
      for (Stream st : STREAMS) {
        m.put(st, pendingCount[st.ordinal()]);
      }
      return Collections.unmodifiableMap(m);
    }
  }

  /**
   * Age in milliseconds (by the options' clock) of the oldest entry of {@code stream} not yet
   * acknowledged, empty when the stream has none. A growing age while connected means "connected
   * but not forwarding".
   */
  public OptionalLong oldestPendingMillis(Stream stream) {
    synchronized (state) {
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

  public OutboxStats stats() {
    synchronized (state) {
      return new OutboxStats(perStream(pendingCount), perStream(pendingBytes), perStream(dropped),
          perStream(refused), receiptsOverCap, appended, delivered, commits, writeFailures);
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

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        log.debug("closing connection: {}", e.getMessage());
      }
    }
  }

  // ------------------------------------------------------------------ writer thread

  private sealed interface Op permits Append, Deliver, Release, Close {}

  private record Append(Stream stream, String topic, String key, byte[] payload, CompletableFuture<Long> result) implements Op {
    long size() {
      return payload.length + topic.getBytes(StandardCharsets.UTF_8).length
          + key.getBytes(StandardCharsets.UTF_8).length + ROW_OVERHEAD_BYTES;
    }
  }

  private record Deliver(List<Long> seqs) implements Op {}

  private record Release(List<Long> seqs) implements Op {}

  private record Close() implements Op {}

  private void writerLoop() {
    List<Op> batch = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(ops.take());
      } catch (InterruptedException e) {
        continue; // only close() stops the writer, after committing what is queued
      }
      ops.drainTo(batch, options.maxOpsPerCommit() - 1);
      for (Op op : batch) {
        stop |= op instanceof Close;
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
      if (op instanceof Append a) {
        a.result.completeExceptionally(new OutboxStorageException("outbox " + file + " is closed", null));
      }
    }
  }

  /** Per-transaction working copy of the counts; published to `state` only after commit. */
  private final class Tx {
    final long[] count;
    final long[] bytes;
    final long[] droppedNow = new long[STREAMS.length];
    final long[] refusedNow = new long[STREAMS.length];
    long overCapNow;
    long appendedNow;
    long deliveredNow;
    final List<Long> deletedSeqs = new ArrayList<>();
    final Map<Append, Long> accepted = new HashMap<>();
    final Map<Append, OutboxFullException> refusals = new HashMap<>();

    Tx() {
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

  private void commitBatch(List<Op> batch) {
    Tx tx = new Tx();
    boolean changed = false;
    try {
      writeConn.setAutoCommit(false);
      try (PreparedStatement insert = writeConn.prepareStatement(
              "INSERT INTO entries(stream, topic, key, payload, size, created_ms, attempts) VALUES (?,?,?,?,?,?,0) RETURNING seq");
          PreparedStatement delete = writeConn.prepareStatement("DELETE FROM entries WHERE seq=? RETURNING stream, size");
          PreparedStatement attempt = writeConn.prepareStatement("UPDATE entries SET attempts=attempts+1 WHERE seq=?")) {
        for (Op op : batch) {
          if (op instanceof Append a) {
            changed |= applyAppend(tx, a, insert, delete);
          } else if (op instanceof Deliver d) {
            for (long seq : d.seqs()) {
              if (deleteRow(tx, delete, seq) != null) {
                tx.deliveredNow++;
                changed = true;
              }
              tx.deletedSeqs.add(seq);
            }
          } else if (op instanceof Release r) {
            for (long seq : r.seqs()) {
              attempt.setLong(1, seq);
              attempt.executeUpdate();
            }
          }
        }
      }
      writeConn.commit();
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      synchronized (state) {
        writeFailures++;
        // Acknowledged entries stay on disk: let them be sent again rather than lost.
        for (Op op : batch) {
          if (op instanceof Deliver d) {
            d.seqs().forEach(deleting::remove);
          }
        }
      }
      log.error("outbox {}: commit of {} operations failed: {}", file, batch.size(), e.getMessage());
      for (Op op : batch) {
        if (op instanceof Append a) {
          a.result.completeExceptionally(new OutboxStorageException(
              "append to outbox " + file + " failed: " + e.getMessage(), e));
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
    synchronized (state) {
      System.arraycopy(tx.count, 0, pendingCount, 0, pendingCount.length);
      System.arraycopy(tx.bytes, 0, pendingBytes, 0, pendingBytes.length);
      for (int i = 0; i < STREAMS.length; i++) {
        dropped[i] += tx.droppedNow[i];
        refused[i] += tx.refusedNow[i];
      }
      receiptsOverCap += tx.overCapNow;
      appended += tx.appendedNow;
      delivered += tx.deliveredNow;
      commits++;
      tx.deletedSeqs.forEach(deleting::remove);
      state.notifyAll();
    }
    tx.accepted.forEach((a, seq) -> a.result.complete(seq));
    tx.refusals.forEach((a, ex) -> a.result.completeExceptionally(ex));
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

  /** Applies caps, then inserts; returns true when the pending set changed. */
  private boolean applyAppend(Tx tx, Append a, PreparedStatement insert, PreparedStatement delete) throws SQLException {
    Stream st = a.stream();
    StreamPolicy policy = options.policy(st);
    long size = a.size();
    boolean changed = false;
    // A stream with its own cap drops its oldest entries first.
    if (policy.overflow() == StreamPolicy.Overflow.DROP_OLDEST && policy.ownMaxBytes() > 0) {
      long over = tx.bytes[st.ordinal()] + size - policy.ownMaxBytes();
      if (over > 0) {
        changed |= evictOldest(tx, st, over, delete) > 0;
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
    if (over <= 0 && tx.total() + size <= options.maxBytes()) {
      overCapWarned = false;
    }
    if (over > 0) {
      if (policy.overflow() == StreamPolicy.Overflow.KEEP_ALL) {
        tx.overCapNow++;
        if (!overCapWarned) {
          overCapWarned = true;
          log.warn("outbox {} is over its cap of {} bytes: {} accepted anyway (never refused)", file, options.maxBytes(), st);
        }
      } else {
        tx.refusedNow[st.ordinal()]++;
        tx.refusals.put(a, new Outbox.OutboxFullException("outbox " + file + " is full for " + st
            + ": " + tx.total() + " of " + options.maxBytes() + " bytes pending, " + st + " accepted up to "
            + Math.round(policy.fillLimit() * 100) + " % (entry " + size + " bytes refused)"));
        return changed;
      }
    }
    insert.setString(1, st.name());
    insert.setString(2, a.topic());
    insert.setString(3, a.key());
    insert.setBytes(4, a.payload());
    insert.setLong(5, size);
    insert.setLong(6, options.clock().millis());
    long seq;
    try (ResultSet rs = insert.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("insert returned no seq");
      }
      seq = rs.getLong(1);
    }
    tx.count[st.ordinal()]++;
    tx.bytes[st.ordinal()] += size;
    tx.appendedNow++;
    tx.accepted.put(a, seq);
    return true;
  }

  /** Deletes the oldest entries of {@code st} until at least {@code bytes} are freed; returns bytes freed. */
  private long evictOldest(Tx tx, Stream st, long bytes, PreparedStatement delete) throws SQLException {
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
