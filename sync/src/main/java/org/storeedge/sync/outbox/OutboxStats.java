package org.storeedge.sync.outbox;

import java.util.List;
import java.util.Map;
import org.storeedge.core.outbox.Stream;

/**
 * A snapshot of outbox counters since {@link SqliteOutbox#open}. Pending figures are committed
 * state (entries on disk not yet acknowledged); the others count events of this process.
 *
 * @param dropped entries evicted by a DROP_OLDEST policy, per stream
 * @param refused appends refused by a byte cap with OutboxFullException, per stream
 * @param expired entries deleted undelivered because they were older than the stream's maxAge
 * @param refusedLowDisk appends refused because the disk was nearly full, per stream
 * @param oldestPendingAgeMillis age (outbox clock) of the oldest entry not yet acknowledged, per
 *     stream; only streams with pending entries appear
 * @param receiptsOverCap receipts accepted while the outbox was over its cap (an alarm: disk is
 *     filling with undelivered receipts)
 * @param freeDiskBytes usable bytes on the database's file system at the last commit, -1 unknown
 * @param fileBytes size of the database file plus its WAL, bytes
 * @param commits transactions committed by the writer
 * @param writeFailures transactions that failed and were rolled back
 * @param alarms active alarms
 */
public record OutboxStats(Map<Stream, Long> pending, Map<Stream, Long> pendingBytes,
    Map<Stream, Long> dropped, Map<Stream, Long> refused, Map<Stream, Long> expired,
    Map<Stream, Long> refusedLowDisk, Map<Stream, Long> oldestPendingAgeMillis, long receiptsOverCap,
    long appended, long delivered, long commits, long writeFailures, long freeDiskBytes, long fileBytes,
    List<OutboxAlarm> alarms) {

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

  /** Every entry lost to policy, per stream: dropped + expired + refused (cap or disk). */
  public long lost(Stream stream) {
    return dropped.get(stream) + expired.get(stream) + refused.get(stream) + refusedLowDisk.get(stream);
  }

  public long totalLost() {
    long n = 0;
    for (Stream s : Stream.values()) {
      n += lost(s);
    }
    return n;
  }
}
