package org.storeedge.sync.state;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.storeedge.core.json.Erasure;
import org.storeedge.core.json.Json;
import org.storeedge.core.outbox.Stream;
import org.storeedge.sync.outbox.OutboxEntry;
import org.storeedge.sync.outbox.SqliteOutbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a customer token out of not-yet-sent outbox entries (a "forget customer" request): the
 * customer's own messages (those whose outermost {@code customerToken} is theirs: their receipts
 * and amendments) are deleted; other messages that merely name them (another shopper's receipt
 * listing them among the candidates of a pick, an alert about a shelf event they stood at) are
 * kept and sent, with the token replaced by {@link Erasure#PLACEHOLDER}. Another customer's
 * receipt is never lost to someone else's erasure.
 *
 * <p>How: a read-only query on the outbox file finds the entries whose payload holds the token
 * (as a string or inside one); only if there are any, pending entries are taken through the
 * outbox's own delivery bookkeeping ({@link SqliteOutbox#nextBatch}) up to the last match, the
 * customer's own are deleted with {@link SqliteOutbox#markDelivered}, the others that name them
 * are rewritten ({@link SqliteOutbox#rewrite}, committed before anything is handed back) and
 * everything else is {@link
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
   * @param purged the customer's own entries deleted, by stream
   * @param redacted other entries that named the customer, kept with the token replaced, by stream
   * @param inFlight matching entries being sent right now (neither purged nor rewritten)
   */
  public record Result(Map<Stream, Integer> purged, Map<Stream, Integer> redacted, int inFlight) {
    public int totalPurged() {
      return purged.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  private final SqliteOutbox outbox;

  public OutboxPurge(SqliteOutbox outbox) {
    this.outbox = outbox;
  }

  /**
   * The token as it appears in the agent's JSON: its string literal without the quotes (it is
   * found as a whole value and inside messages).
   */
  static byte[] needle(String token) {
    StringBuilder b = new StringBuilder();
    Json.writeString(b, token);
    return b.substring(1, b.length() - 1).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Forgets {@code customerToken} in pending entries: deletes theirs, rewrites the others that name
   * them; entries appended meanwhile are not seen.
   */
  public Result purge(String customerToken) {
    if (customerToken == null || customerToken.isBlank()) {
      throw new IllegalArgumentException("customerToken must be non-blank");
    }
    Set<Long> targets = findCandidates(needle(customerToken));
    Map<Stream, Integer> purged = new LinkedHashMap<>();
    Map<Stream, Integer> redacted = new LinkedHashMap<>();
    if (targets.isEmpty()) {
      return new Result(purged, redacted, 0);
    }
    List<Long> keep = new ArrayList<>();
    List<Long> delete = new ArrayList<>();
    Map<Long, byte[]> rewrite = new LinkedHashMap<>();
    Map<Long, Stream> streamOf = new HashMap<>();
    Set<Long> remaining = new HashSet<>(targets);
    try {
      while (!remaining.isEmpty()) {
        List<OutboxEntry> page = outbox.nextBatch(PAGE);
        if (page.isEmpty()) {
          break; // the rest are in flight with the uplink (or were delivered meanwhile)
        }
        for (OutboxEntry e : page) {
          if (!remaining.remove(e.seq())) {
            keep.add(e.seq());
          } else if (customerToken.equals(Erasure.topLevelString(e.payload(), "customerToken"))) {
            delete.add(e.seq());
            purged.merge(e.stream(), 1, Integer::sum);
          } else {
            keep.add(e.seq());
            byte[] erased = Erasure.inJson(e.payload(), customerToken);
            if (erased != e.payload()) { // else the bytes only looked alike (e.g. inside a longer token)
              rewrite.put(e.seq(), erased);
              streamOf.put(e.seq(), e.stream());
            }
          }
        }
      }
      outbox.rewrite(rewrite);
      rewrite.keySet().forEach(seq -> redacted.merge(streamOf.get(seq), 1, Integer::sum));
    } finally {
      outbox.release(keep);
      outbox.markDelivered(delete);
    }
    int inFlight = remaining.size();
    log.info("forgot a customer in the outbox: {} of their entries purged, {} others that named them rewritten "
        + "({} in flight, untouched)", delete.size(), rewrite.size(), inFlight);
    return new Result(purged, redacted, inFlight);
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
