package org.storeedge.sync.state;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.OptionalLong;

/**
 * The highest sequence number accepted per kind of signed update (table {@code update_ledger}),
 * so a replayed update (sequence not greater) is refused even after a restart. Safe from any
 * thread.
 */
public final class UpdateLedger {
  private final StateDatabase db;

  public UpdateLedger(StateDatabase db) {
    this.db = db;
  }

  public OptionalLong lastSequence(String kind) {
    return db.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT sequence FROM update_ledger WHERE kind=?")) {
        ps.setString(1, kind);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
        }
      }
    });
  }

  /**
   * Records {@code sequence} as consumed for {@code kind} if it is greater than the last one, in
   * one transaction (check and write cannot interleave with another caller). Durable on return.
   *
   * @return false when {@code sequence} is not greater than the last accepted one (a replay)
   */
  public boolean accept(String kind, long sequence, String keyId, long atMillis) {
    return db.inTransaction(c -> {
      try (PreparedStatement q = c.prepareStatement("SELECT sequence FROM update_ledger WHERE kind=?")) {
        q.setString(1, kind);
        try (ResultSet rs = q.executeQuery()) {
          if (rs.next() && rs.getLong(1) >= sequence) {
            return false;
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO update_ledger(kind, sequence, key_id, accepted_ms) VALUES (?,?,?,?) "
              + "ON CONFLICT(kind) DO UPDATE SET sequence=excluded.sequence, key_id=excluded.key_id, "
              + "accepted_ms=excluded.accepted_ms")) {
        ps.setString(1, kind);
        ps.setLong(2, sequence);
        ps.setString(3, keyId);
        ps.setLong(4, atMillis);
        ps.executeUpdate();
      }
      return true;
    });
  }
}
