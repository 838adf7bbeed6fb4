package org.storeedge.sync.state;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.storeedge.core.json.Json;
import org.storeedge.core.outbox.Stream;
import org.storeedge.sync.outbox.OutboxEntry;
import org.storeedge.sync.outbox.SqliteOutbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes not-yet-sent outbox entries that carry a customer token (a "forget customer" request).
 *
 * <p>How: a read-only query on the outbox file finds the entries whose JSON payload holds the
 * token as a string value; only if there are any, pending entries are taken through the outbox's
 * own delivery bookkeeping ({@link SqliteOutbox#nextBatch}) up to the last match, the matches are
 * deleted with {@link SqliteOutbox#markDelivered} and everything else is {@link
 * SqliteOutbox#release}d at once, back ahead of newer entries of their stream (if the uplink
 * sent newer entries during the scan, those went first: consumers key on the idempotency key, not
 * on order). Entries
 * the uplink has in flight at that moment are already being sent: they are reported, not purged
 * (what the broker has is the cloud's to purge). Purged entries count as delivered in the outbox's
 * statistics.
 *
 * <p>Reads the outbox table {@code entries(seq, stream, payload)}; call from any thread, one purge
 * at a time (the command thread). Payloads are scanned on the caller's thread in pages.
 */
public final class OutboxPurge {
  private static final Logger log = LoggerFactory.getLogger(OutboxPurge.class);
  private static final int PAGE = 512;

  /**
   * @param purged entries deleted, by stream
   * @param inFlight matching entries being sent right now (not purged)
   */
  public record Result(Map<Stream, Integer> purged, int inFlight) {
    public int totalPurged() {
      return purged.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  private final SqliteOutbox outbox;

  public OutboxPurge(SqliteOutbox outbox) {
    this.outbox = outbox;
  }

  /** The JSON string literal of {@code token} as the agent writes it, e.g. {@code "cust-7"} with quotes. */
  static byte[] needle(String token) {
    StringBuilder b = new StringBuilder();
    Json.writeString(b, token);
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  static boolean carries(byte[] payload, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= payload.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (payload[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Purges pending entries carrying {@code customerToken}; entries appended meanwhile are not seen. */
  public Result purge(String customerToken) {
    if (customerToken == null || customerToken.isBlank()) {
      throw new IllegalArgumentException("customerToken must be non-blank");
    }
    byte[] needle = needle(customerToken);
    Set<Long> targets = findCandidates(needle);
    Map<Stream, Integer> purged = new LinkedHashMap<>();
    if (targets.isEmpty()) {
      return new Result(purged, 0);
    }
    List<Long> keep = new ArrayList<>();
    List<Long> delete = new ArrayList<>();
    Set<Long> remaining = new HashSet<>(targets);
    try {
      while (!remaining.isEmpty()) {
        List<OutboxEntry> page = outbox.nextBatch(PAGE);
        if (page.isEmpty()) {
          break; // the rest are in flight with the uplink (or were delivered meanwhile)
        }
        for (OutboxEntry e : page) {
          if (remaining.remove(e.seq()) && carries(e.payload(), needle)) {
            delete.add(e.seq());
            purged.merge(e.stream(), 1, Integer::sum);
          } else {
            keep.add(e.seq());
          }
        }
      }
    } finally {
      outbox.release(keep);
      outbox.markDelivered(delete);
    }
    int inFlight = remaining.size();
    log.info("purged {} outbox entries of a forgotten customer ({} in flight, not purged)", delete.size(), inFlight);
    return new Result(purged, inFlight);
  }

  /** Seqs of entries whose payload contains the token literal, by a read-only query on the file. */
  private Set<Long> findCandidates(byte[] needle) {
    Set<Long> seqs = new HashSet<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + outbox.file())) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout=10000");
        s.execute("PRAGMA query_only=1");
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM entries WHERE instr(payload, ?) > 0")) {
        ps.setBytes(1, needle);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            seqs.add(rs.getLong(1));
          }
        }
      }
    } catch (SQLException e) {
      throw new StateDatabase.StateStorageException("outbox " + outbox.file() + ": searching for a customer's entries failed: "
          + e.getMessage(), e);
    }
    return seqs;
  }
}
