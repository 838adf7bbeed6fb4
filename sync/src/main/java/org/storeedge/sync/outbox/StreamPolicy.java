package org.storeedge.sync.outbox;

/**
 * What a stream does when the outbox is full.
 *
 * @param overflow what happens to an append that does not fit
 * @param fillLimit fraction of {@link OutboxOptions#maxBytes()} up to which this stream's appends
 *     are accepted (0 &lt; fillLimit &lt;= 1); lower limits make a stream give way earlier
 * @param ownMaxBytes cap on this stream's own pending bytes, 0 for none; only meaningful with
 *     {@link Overflow#DROP_OLDEST}
 */
public record StreamPolicy(Overflow overflow, double fillLimit, long ownMaxBytes) {

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
  }

  public enum Overflow {
    /** Always accepted, never evicted; going over the cap is counted as an alarm. */
    KEEP_ALL,
    /** Refused with OutboxFullException once the stream's fill limit is reached. */
    REFUSE,
    /** Oldest entries of this stream are dropped to make room; refused only when none are left. */
    DROP_OLDEST
  }
}
