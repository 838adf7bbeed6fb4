package org.storeedge.sync.outbox;

/**
 * A condition an operator must hear about, active until it clears (or, for {@link
 * Kind#DATABASE_SALVAGED}, until {@link SqliteOutbox#acknowledgeSalvage()}).
 *
 * @param sinceMillis when it was raised, epoch milliseconds of the outbox clock
 */
public record OutboxAlarm(Kind kind, String message, long sinceMillis) {

  public enum Kind {
    /** The database was corrupt: it was moved aside and its readable rows salvaged. Persistent. */
    DATABASE_SALVAGED,
    /** Free disk below a stream's threshold: telemetry (then events, then alerts) are refused. */
    DISK_NEARLY_FULL,
    /** Receipts are being accepted beyond the byte cap: the uplink is not keeping up. */
    RECEIPTS_OVER_CAP,
    /** The last group commit failed (I/O error, disk full, corruption found while running). */
    WRITE_FAILING
  }
}
