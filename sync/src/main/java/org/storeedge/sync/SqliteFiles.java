package org.storeedge.sync;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** How every SQLite file of the agent is opened: durable, WAL, patient with concurrent readers. */
public final class SqliteFiles {
  private SqliteFiles() {}

  /**
   * Sets a freshly opened connection up for durable writes: a 10 s busy timeout, WAL journal
   * (refused if SQLite cannot switch), synchronous FULL. Reading {@code sqlite_master} first fails
   * with SQLITE_NOTADB on a damaged header before anything is written.
   */
  public static void configureDurable(Statement s) throws SQLException {
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
}
