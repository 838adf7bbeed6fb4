package org.storeedge.sync.state;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * The checkout's latest snapshot (open carts, what each lane holds) as one document in table
 * {@code checkout_state}, replaced on every save, so a gateway that loses power takes its open
 * carts and stock back when it starts again. The document's format belongs to the caller. Safe
 * from any thread; durable on return.
 */
public final class CheckoutStateStore {
  /** A saved document and when it was taken (store clock, epoch ms). */
  public record Saved(String json, long takenAtMillis) {}

  private final StateDatabase db;

  public CheckoutStateStore(StateDatabase db) {
    this.db = db;
  }

  public void save(String json, long takenAtMillis) {
    db.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO checkout_state(id, document, taken_ms) VALUES (1,?,?) "
              + "ON CONFLICT(id) DO UPDATE SET document=excluded.document, taken_ms=excluded.taken_ms")) {
        ps.setBytes(1, json.getBytes(StandardCharsets.UTF_8));
        ps.setLong(2, takenAtMillis);
        ps.executeUpdate();
      }
      return null;
    });
  }

  public Optional<Saved> load() {
    return db.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT document, taken_ms FROM checkout_state WHERE id=1");
          ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Saved(new String(rs.getBytes(1), StandardCharsets.UTF_8), rs.getLong(2)))
            : Optional.empty();
      }
    });
  }
}
