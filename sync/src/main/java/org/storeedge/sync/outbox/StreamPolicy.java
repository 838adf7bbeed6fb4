package org.storeedge.sync.outbox;

import java.time.Duration;

/**
 * What a stream does when the outbox or the disk fills up, and how long its entries may wait.
 *
 * @param overflow what happens to an append that does not fit
 * @param fillLimit fraction of {@link OutboxOptions#maxBytes()} up to which this stream's appends
 *     are accepted (0 &lt; fillLimit &lt;= 1); lower limits make a stream give way earlier
 * @param ownMaxBytes cap on this stream's own pending bytes, 0 for none. With {@link
 *     Overflow#DROP_OLDEST} the stream's oldest entries are dropped to stay under it; with {@link
 *     Overflow#REFUSE} appends beyond it are refused
 * @param maxAge entries older than this (by the outbox clock) are expired and counted, {@link
 *     Duration#ZERO} for never
 * @param minFreeDiskBytes appends are refused (and counted) while the file system holding the
 *     database has less than this many usable bytes, 0 for never
 */
public record StreamPolicy(Overflow overflow, double fillLimit, long ownMaxBytes, Duration maxAge,
    long minFreeDiskBytes) {

  public StreamPolicy {
    if (overflow == null) {
      throw new IllegalArgumentException("overflow must be set");
    }
    if (!(fillLimit > 0 && fillLimit <= 1)) {
      throw new IllegalArgumentException("fillLimit must be in (0, 1] (got: " + fillLimit + ")");
    }
    if (ownMaxBytes < 0) {
      throw new IllegalArgumentException("ownMaxBytes must be >= 0 (got: " + ownMaxBytes + ")");
    }
    if (maxAge == null || maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge must be >= 0 (got: " + maxAge + ")");
    }
    if (minFreeDiskBytes < 0) {
      throw new IllegalArgumentException("minFreeDiskBytes must be >= 0 (got: " + minFreeDiskBytes + ")");
    }
  }

  /** No age limit and no free-disk threshold. */
  public StreamPolicy(Overflow overflow, double fillLimit, long ownMaxBytes) {
    this(overflow, fillLimit, ownMaxBytes, Duration.ZERO, 0);
  }

  public StreamPolicy withMaxAge(Duration age) {
    return new StreamPolicy(overflow, fillLimit, ownMaxBytes, age, minFreeDiskBytes);
  }

  public StreamPolicy withMinFreeDiskBytes(long bytes) {
    return new StreamPolicy(overflow, fillLimit, ownMaxBytes, maxAge, bytes);
  }

  public StreamPolicy withOwnMaxBytes(long bytes) {
    return new StreamPolicy(overflow, fillLimit, bytes, maxAge, minFreeDiskBytes);
  }

  public enum Overflow {
    /** Always accepted, never evicted nor expired; going over the cap is counted as an alarm. */
    KEEP_ALL,
    /** Refused with OutboxFullException once the stream's fill limit or own cap is reached. */
    REFUSE,
    /** Oldest entries of this stream are dropped to make room; refused only when none are left. */
    DROP_OLDEST
  }
}
