package org.storeedge.sync.outbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Moves a corrupt outbox aside and copies every entry that can still be read into a new one.
 *
 * <p>Order of steps, chosen so that a crash at any point loses nothing:
 *
 * <ol>
 *   <li>read the corrupt file read-only (its WAL included) and write the readable entries, plus
 *       a {@code salvage_log} row, into {@code <name>.salvaging} in one transaction;
 *   <li>rename {@code <name>} to {@code <name>.corrupt-<UTC timestamp>} and its {@code -wal} and
 *       {@code -shm} files beside it (never deleted);
 *   <li>rename {@code <name>.salvaging} to {@code <name>}.
 * </ol>
 *
 * A crash before step 2 repeats the salvage at the next open; a crash between 2 and 3 is finished
 * by {@link #finishInterrupted} (the complete {@code .salvaging} file is recognised by its {@code
 * salvage_log} row).
 *
 * <p>Reading: entries are streamed in seq order over the table's rowid B-tree. When a read fails
 * (damaged page), the reader looks up the following sequence numbers one by one, then with
 * widening range probes, until it can stream again; each sequence number it could not read is
 * counted. Rows with impossible values (unknown stream, missing columns) are skipped and counted.
 */
final class Salvage {
  private static final Logger log = LoggerFactory.getLogger(Salvage.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  /** One-by-one lookups after a failed read before switching to range probes. */
  private static final int POINT_WINDOW = 4096;
  /** Most one-by-one lookups spent on back-filling a range skipped by a probe. */
  private static final long BACKFILL_LIMIT = 1L << 20;
  private static final String COLUMNS = "seq, stream, topic, key, payload, created_ms, attempts";

  private Salvage() {}

  static Path salvagingFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".salvaging");
  }

  private static Path sibling(Path file, String suffix) {
    return file.resolveSibling(file.getFileName() + suffix);
  }

  /** Completes a salvage whose final rename did not happen (crash between steps 2 and 3). */
  static void finishInterrupted(Path file, InstantSource clock) throws IOException {
    Path salvaging = salvagingFile(file);
    if (!Files.exists(salvaging)) {
      return;
    }
    if (Files.exists(file)) {
      // Step 1 was interrupted (or step 2 never ran): the original is still here; salvage again if needed.
      log.warn("outbox {}: removing an unfinished salvage copy {} (the original is still in place)", file, salvaging);
      Files.delete(salvaging);
      return;
    }
    if (!isComplete(salvaging)) {
      throw new IOException("outbox " + file + " is missing and " + salvaging
          + " is an unfinished salvage; restore the newest " + file.getFileName() + ".corrupt-* file to " + file + " and restart");
    }
    String stamp = STAMP.format(Instant.ofEpochMilli(clock.millis()));
    for (String suffix : List.of("-wal", "-shm")) {
      Path orphan = sibling(file, suffix);
      if (Files.exists(orphan)) {
        Path to = unique(sibling(file, ".orphan-" + stamp), suffix);
        Files.move(orphan, to);
        log.warn("outbox {}: moved leftover {} to {}", file, orphan, to);
      }
    }
    Files.move(salvaging, file, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(file);
    log.warn("outbox {}: finished an interrupted salvage", file);
  }

  private static boolean isComplete(Path salvaging) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + salvaging, readOnly());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM salvage_log")) {
      return rs.next() && rs.getLong(1) > 0;
    } catch (SQLException e) {
      return false;
    }
  }

  private static java.util.Properties readOnly() {
    SQLiteConfig cfg = new SQLiteConfig();
    cfg.setReadOnly(true);
    return cfg.toProperties();
  }

  static SalvageReport run(Path file, String reason, InstantSource clock) throws IOException {
    long now = clock.millis();
    Path aside = unique(sibling(file, ".corrupt-" + STAMP.format(Instant.ofEpochMilli(now))), "");
    Path salvaging = salvagingFile(file);
    Files.deleteIfExists(salvaging); // our own unfinished copy from an earlier attempt
    Result result;
    // Step 1: copy what can be read.
    try (Connection dst = DriverManager.getConnection("jdbc:sqlite:" + salvaging)) {
      try (Statement s = dst.createStatement()) {
        s.execute("PRAGMA journal_mode=DELETE"); // one self-contained file once committed
        s.execute("PRAGMA synchronous=FULL");
      }
      SqliteOutbox.migrate(dst, file);
      dst.setAutoCommit(false);
      result = copyReadable(file, dst);
      String detail = abbreviate("reason: " + reason + "; integrity check: " + result.integrity
          + "; unreadable seq ranges: " + (result.ranges.isEmpty() ? "none" : String.join(", ", result.ranges))
          + (result.invalidRows > 0 ? "; rows with impossible values skipped: " + result.invalidRows : ""), 4000);
      try (PreparedStatement ps = dst.prepareStatement(
          "INSERT INTO salvage_log(at_ms, moved_to, salvaged, unreadable, detail) VALUES (?,?,?,?,?)")) {
        ps.setLong(1, now);
        ps.setString(2, aside.toString());
        ps.setLong(3, result.salvaged);
        ps.setLong(4, result.unreadable + result.invalidRows);
        ps.setString(5, detail);
        ps.executeUpdate();
      }
      dst.commit();
    } catch (SQLException e) {
      throw new IOException("salvaging outbox " + file + " into " + salvaging + " failed: " + e.getMessage()
          + "; " + file + " was left in place", e);
    }
    // Step 2: move the corrupt file (and its WAL) aside.
    Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
    for (String suffix : List.of("-wal", "-shm")) {
      Path f = sibling(file, suffix);
      if (Files.exists(f)) {
        Files.move(f, sibling(aside, suffix), StandardCopyOption.ATOMIC_MOVE);
      }
    }
    // Step 3: the salvaged copy takes its place.
    Files.move(salvaging, file, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(file);
    return new SalvageReport(now, aside, result.salvaged, result.unreadable + result.invalidRows,
        "integrity check: " + abbreviate(result.integrity, 500));
  }

  private static Path unique(Path base, String suffix) {
    Path p = base.resolveSibling(base.getFileName() + suffix);
    for (int i = 1; Files.exists(p); i++) {
      p = base.resolveSibling(base.getFileName() + "-" + i + suffix);
    }
    return p;
  }

  private static void syncDirectory(Path file) {
    Path dir = file.getParent();
    if (dir == null) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      log.debug("fsync of directory {} not possible: {}", dir, e.toString());
    }
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }

  static final class Result {
    long salvaged;
    long unreadable;
    long invalidRows;
    String integrity = "not run";
    final List<String> ranges = new ArrayList<>();
    private long rangeStart = Long.MIN_VALUE;
    private long rangeEnd = Long.MIN_VALUE;

    void unreadable(long seq) {
      unreadable++;
      if (rangeStart != Long.MIN_VALUE && seq == rangeEnd + 1) {
        rangeEnd = seq;
        return;
      }
      flushRange();
      rangeStart = seq;
      rangeEnd = seq;
    }

    void unreadableRange(long from, long to) {
      if (to < from) {
        return;
      }
      flushRange();
      unreadable += to - from + 1;
      if (ranges.size() < 100) {
        ranges.add(from + "-" + to + " (not examined)");
      }
    }

    void flushRange() {
      if (rangeStart != Long.MIN_VALUE) {
        if (ranges.size() < 100) {
          ranges.add(rangeStart == rangeEnd ? Long.toString(rangeStart) : rangeStart + "-" + rangeEnd);
        }
        rangeStart = Long.MIN_VALUE;
      }
    }
  }

  /** Reads {@code src} read-only and inserts what it can into {@code dst} (open transaction). */
  static Result copyReadable(Path src, Connection dst) throws SQLException {
    Result r = new Result();
    if (!Files.exists(src)) {
      r.integrity = "file missing";
      return r;
    }
    Connection c;
    try {
      c = DriverManager.getConnection("jdbc:sqlite:" + src, readOnly());
    } catch (SQLException e) {
      r.integrity = "cannot open: " + e.getMessage();
      return r;
    }
    try (c; PreparedStatement insert = dst.prepareStatement(
        "INSERT OR IGNORE INTO entries(seq, stream, topic, key, payload, size, created_ms, attempts) VALUES (?,?,?,?,?,?,?,?)")) {
      try (Statement s = c.createStatement()) {
        r.integrity = SqliteOutbox.integrityCheck(s);
      } catch (SQLException e) {
        r.integrity = "failed: " + e.getMessage();
      }
      long hi = highestSeq(c);
      Copier copier = new Copier(c, insert, r);
      long next = Long.MIN_VALUE;
      try {
        while (next != Long.MAX_VALUE) {
          try {
            next = copier.stream(next);
          } catch (PositionedFailure e) {
            next = e.next;
            if (hi == Long.MIN_VALUE) {
              r.integrity += "; entries unreadable past seq " + next + ": " + e.getMessage();
              break; // no idea how far the table goes: cannot probe beyond
            }
            next = copier.skipFrom(next == Long.MIN_VALUE ? lowestSeq(c) : next, hi);
          }
        }
      } catch (InsertFailure f) {
        throw (SQLException) f.getCause();
      }
      r.flushRange();
    }
    return r;
  }

  /** Highest seq ever assigned, or MIN_VALUE when unknown. */
  private static long highestSeq(Connection c) {
    for (String q : List.of("SELECT max(seq) FROM entries", "SELECT seq FROM sqlite_sequence WHERE name='entries'")) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(q)) {
        if (rs.next()) {
          long v = rs.getLong(1);
          if (!rs.wasNull()) {
            return v;
          }
        }
      } catch (SQLException e) {
        // try the next source
      }
    }
    return Long.MIN_VALUE;
  }

  private static long lowestSeq(Connection c) {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT min(seq) FROM entries")) {
      if (rs.next()) {
        long v = rs.getLong(1);
        if (!rs.wasNull()) {
          return v;
        }
      }
    } catch (SQLException e) {
      // the first leaf is damaged too
    }
    return 1; // AUTOINCREMENT starts at 1
  }

  private static final class Copier {
    final Connection src;
    final PreparedStatement insert;
    final Result r;

    Copier(Connection src, PreparedStatement insert, Result r) {
      this.src = src;
      this.insert = insert;
      this.r = r;
    }

    /** Streams rows with seq &gt;= from; returns MAX_VALUE at the end, throws on a damaged read. */
    long stream(long from) throws SQLException {
      long next = from;
      try (PreparedStatement ps = src.prepareStatement("SELECT " + COLUMNS + " FROM entries WHERE seq>=? ORDER BY seq")) {
        ps.setLong(1, from);
        try (ResultSet rs = ps.executeQuery()) {
          while (true) {
            boolean has;
            try {
              has = rs.next();
            } catch (SQLException e) {
              throw new PositionedFailure(next, e);
            }
            if (!has) {
              return Long.MAX_VALUE;
            }
            long seq = rs.getLong(1);
            copy(rs);
            next = seq + 1;
          }
        }
      } catch (PositionedFailure p) {
        throw p;
      } catch (SQLException e) {
        throw new PositionedFailure(next, e);
      }
    }

    /** After a failed read at or after {@code from}: copies what it can and returns where to stream from. */
    long skipFrom(long from, long hi) throws SQLException {
      long s = from;
      for (; s <= hi && s < from + POINT_WINDOW; s++) {
        Boolean found = point(s);
        if (found == null) {
          r.unreadable(s);
        } else if (found) {
          return s + 1;
        }
      }
      long examinedTo = s - 1; // every seq up to here was looked at
      long step = POINT_WINDOW;
      long base = s;
      while (base <= hi) {
        Long first = firstFrom(base);
        if (first != null) {
          long end = first == Long.MAX_VALUE ? base - 1 : first - 1;
          backfill(examinedTo + 1, end);
          return first == Long.MAX_VALUE ? Long.MAX_VALUE : first;
        }
        base = base + step > 0 ? base + step : Long.MAX_VALUE;
        step = step < (1L << 40) ? step * 2 : step;
      }
      backfill(examinedTo + 1, hi);
      return Long.MAX_VALUE;
    }

    private void backfill(long from, long to) throws SQLException {
      if (to < from) {
        return;
      }
      if (to - from + 1 > BACKFILL_LIMIT) {
        r.unreadableRange(from, to);
        return;
      }
      for (long s = from; s <= to; s++) {
        if (point(s) == null) {
          r.unreadable(s);
        }
      }
    }

    /** The first readable seq &gt;= base (MAX_VALUE if none), or null when the probe failed. */
    private Long firstFrom(long base) {
      try (PreparedStatement ps = src.prepareStatement("SELECT " + COLUMNS + " FROM entries WHERE seq>=? ORDER BY seq LIMIT 1")) {
        ps.setLong(1, base);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Long.MAX_VALUE;
          }
          return rs.getLong(1);
        }
      } catch (SQLException e) {
        return null;
      }
    }

    /** TRUE copied, FALSE no such row, null unreadable. */
    private Boolean point(long seq) throws SQLException {
      try (PreparedStatement ps = src.prepareStatement("SELECT " + COLUMNS + " FROM entries WHERE seq=?")) {
        ps.setLong(1, seq);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Boolean.FALSE;
          }
          copy(rs);
          return Boolean.TRUE;
        }
      } catch (SQLException e) {
        return null;
      }
    }

    private void copy(ResultSet rs) throws SQLException {
      long seq;
      String stream;
      String topic;
      String key;
      byte[] payload;
      long created;
      int attempts;
      try {
        seq = rs.getLong(1);
        stream = rs.getString(2);
        topic = rs.getString(3);
        key = rs.getString(4);
        payload = rs.getBytes(5);
        created = rs.getLong(6);
        attempts = rs.getInt(7);
        SqliteOutbox.parseStream(stream);
      } catch (SQLException e) {
        r.invalidRows++;
        return;
      }
      if (topic == null || topic.isEmpty() || key == null || payload == null) {
        r.invalidRows++;
        return;
      }
      long size = payload.length + topic.getBytes(StandardCharsets.UTF_8).length
          + key.getBytes(StandardCharsets.UTF_8).length + SqliteOutbox.ROW_OVERHEAD_BYTES;
      try {
        insert.setLong(1, seq);
        insert.setString(2, stream);
        insert.setString(3, topic);
        insert.setString(4, key);
        insert.setBytes(5, payload);
        insert.setLong(6, size);
        insert.setLong(7, created);
        insert.setInt(8, Math.max(0, attempts));
        if (insert.executeUpdate() > 0) {
          r.salvaged++;
        }
      } catch (SQLException e) {
        throw new InsertFailure(e); // the new database failed: not a read problem, abort
      }
    }
  }

  /** A read failed; {@code next} is the first seq not yet copied. */
  private static final class PositionedFailure extends SQLException {
    private static final long serialVersionUID = 1L;
    final long next;

    PositionedFailure(long next, SQLException cause) {
      super("read failed at seq >= " + next + ": " + cause.getMessage(), cause);
      this.next = next;
    }
  }

  /** Writing to the new database failed. */
  private static final class InsertFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InsertFailure(SQLException cause) {
      super(cause);
    }
  }
}
