package org.storeedge.sync.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's small local state (lane calibrations, the ledger of applied signed updates, the
 * checkout's open carts and lane contents) in its
 * own SQLite file next to the outbox database ({@link #siblingOf}), so the outbox can be moved
 * aside or salvaged without touching it and vice versa.
 *
 * <p>WAL with {@code synchronous=FULL}: a write method returns only once its transaction is on
 * disk. One connection, used under this object's monitor; writes are few (operator actions, and a
 * checkout snapshot at most every couple of seconds), so every caller simply waits its turn.
 * Safe from any thread.
 */
public final class StateDatabase implements AutoCloseable {
  static final int SCHEMA_VERSION = 2;
  private static final Logger log = LoggerFactory.getLogger(StateDatabase.class);

  private final Path file;
  private final Connection conn;
  private boolean closed;

  private StateDatabase(Path file, Connection conn) {
    this.file = file;
    this.conn = conn;
  }

  /** {@code data/storeedge.db} -> {@code data/storeedge-state.db}. */
  public static Path siblingOf(Path outboxDatabase) {
    Path abs = outboxDatabase.toAbsolutePath();
    String name = abs.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : ".db";
    return abs.resolveSibling(stem + "-state" + ext);
  }

  /**
   * Opens (creating if absent) the state database.
   *
   * @throws IOException the file cannot be created or opened, is not SQLite, or was written by a
   *     newer schema; the message names the file. The file is never deleted or rewritten.
   */
  public static StateDatabase open(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    if (abs.getParent() != null) {
      Files.createDirectories(abs.getParent());
    }
    Connection c = null;
    try {
      c = DriverManager.getConnection("jdbc:sqlite:" + abs);
      try (Statement s = c.createStatement()) {
        org.storeedge.sync.SqliteFiles.configureDurable(s);
      }
      migrate(c, abs);
      log.info("state database {} open", abs);
      return new StateDatabase(abs, c);
    } catch (SQLException e) {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // already failing; the original error is reported
        }
      }
      throw new IOException("cannot open state database " + abs + ": " + e.getMessage(), e);
    }
  }

  private static void migrate(Connection c, Path file) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS state_schema_version(version INTEGER NOT NULL)");
      int version = 0;
      try (ResultSet rs = s.executeQuery("SELECT max(version) FROM state_schema_version")) {
        if (rs.next()) {
          version = rs.getInt(1);
        }
      }
      if (version > SCHEMA_VERSION) {
        throw new SQLException(file + " was written by a newer schema (version " + version
            + ", this build reads up to " + SCHEMA_VERSION + ")");
      }
      if (version < 1) {
        s.execute("""
            CREATE TABLE IF NOT EXISTS lane_calibration(
              lane_id     TEXT    PRIMARY KEY,
              zero_grams  REAL    NOT NULL,
              gain        REAL    NOT NULL,
              updated_ms  INTEGER NOT NULL,
              last_step   TEXT    NOT NULL)""");
        s.execute("""
            CREATE TABLE IF NOT EXISTS update_ledger(
              kind        TEXT    PRIMARY KEY,
              sequence    INTEGER NOT NULL,
              key_id      TEXT    NOT NULL,
              accepted_ms INTEGER NOT NULL)""");
      }
      if (version < 2) {
        s.execute("""
            CREATE TABLE IF NOT EXISTS checkout_state(
              id          INTEGER PRIMARY KEY CHECK (id = 1),
              document    BLOB    NOT NULL,
              taken_ms    INTEGER NOT NULL)""");
      }
      if (version < SCHEMA_VERSION) {
        s.execute("INSERT INTO state_schema_version(version) VALUES (" + SCHEMA_VERSION + ")");
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  public Path file() {
    return file;
  }

  /** Runs {@code work} in one transaction on the single connection; commits or rolls back. */
  <T> T inTransaction(SqlWork<T> work) {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("state database " + file + " is closed");
      }
      try {
        conn.setAutoCommit(false);
        try {
          T result = work.run(conn);
          conn.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          conn.rollback();
          throw e;
        } finally {
          conn.setAutoCommit(true);
        }
      } catch (SQLException e) {
        throw new StateStorageException("state database " + file + ": " + e.getMessage(), e);
      }
    }
  }

  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try (Statement s = conn.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      log.debug("checkpoint on close: {}", e.getMessage());
    }
    try {
      conn.close();
    } catch (SQLException e) {
      log.debug("closing {}: {}", file, e.getMessage());
    }
  }

  /** A read or write of the state database failed (disk, I/O); the message names the file. */
  public static final class StateStorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StateStorageException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
