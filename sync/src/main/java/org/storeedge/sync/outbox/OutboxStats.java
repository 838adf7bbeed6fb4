package org.storeedge.sync.outbox;

import java.util.Map;
import org.storeedge.core.outbox.Stream;

/**
 * A snapshot of outbox counters since {@link SqliteOutbox#open}. Pending figures are committed
 * state (entries on disk not yet acknowledged); the others count events of this process.
 *
 * @param dropped entries evicted by a DROP_OLDEST policy, per stream
 * @param refused appends refused with OutboxFullException, per stream
 * @param receiptsOverCap receipts accepted while the outbox was over its cap (an alarm: disk is
 *     filling with undelivered receipts)
 * @param commits transactions committed by the writer
 * @param writeFailures transactions that failed and were rolled back
 */
public record OutboxStats(Map<Stream, Long> pending, Map<Stream, Long> pendingBytes,
    Map<Stream, Long> dropped, Map<Stream, Long> refused, long receiptsOverCap, long appended,
    long delivered, long commits, long writeFailures) {

  public long totalPending() {
    return pending.values().stream().mapToLong(Long::longValue).sum();
  }

  public long totalPendingBytes() {
    return pendingBytes.values().stream().mapToLong(Long::longValue).sum();
  }

  public long totalDropped() {
    return dropped.values().stream().mapToLong(Long::longValue).sum();
  }

  public long totalRefused() {
    return refused.values().stream().mapToLong(Long::longValue).sum();
  }
}
