package org.storeedge.sync.outbox;

import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;
import org.storeedge.core.outbox.Stream;

/**
 * Outbox settings.
 *
 * <p>Sizes count logical bytes of pending entries (payload + topic + key + a fixed per-row
 * overhead), not the file size: SQLite pages and the WAL add roughly 10-30 % on top.
 *
 * <p>The default policy: receipts are never refused nor evicted; telemetry drops its oldest
 * entries first (and never holds more than a tenth of the cap); when the outbox fills up,
 * telemetry is refused at 90 % of the cap, events at 95 %, alerts at 100 %. Any append that does
 * not fit first evicts the oldest telemetry.
 *
 * @param maxBytes cap on pending bytes, &gt; 0
 * @param clock source of entry creation times and ages
 * @param policies one policy per stream
 * @param maxOpsPerCommit most appends/acknowledgements grouped into one transaction, &gt; 0
 */
public record OutboxOptions(long maxBytes, InstantSource clock, Map<Stream, StreamPolicy> policies,
    int maxOpsPerCommit) {

  public static final long DEFAULT_MAX_BYTES = 2L * 1024 * 1024 * 1024;

  public OutboxOptions {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be > 0 (got: " + maxBytes + ")");
    }
    if (clock == null) {
      throw new IllegalArgumentException("clock must be set");
    }
    if (maxOpsPerCommit <= 0) {
      throw new IllegalArgumentException("maxOpsPerCommit must be > 0 (got: " + maxOpsPerCommit + ")");
    }
    EnumMap<Stream, StreamPolicy> copy = new EnumMap<>(Stream.class);
    copy.putAll(defaultPolicies(maxBytes));
    copy.putAll(policies);
    if (copy.get(Stream.RECEIPTS).overflow() != StreamPolicy.Overflow.KEEP_ALL) {
      throw new IllegalArgumentException("receipts must use KEEP_ALL (got: " + copy.get(Stream.RECEIPTS).overflow() + ")");
    }
    policies = Map.copyOf(copy);
  }

  /** The default policy with the given cap and clock. */
  public OutboxOptions(long maxBytes, InstantSource clock) {
    this(maxBytes, clock, Map.of(), 1000);
  }

  /** 2 GiB cap on the system clock. */
  public static OutboxOptions defaults() {
    return new OutboxOptions(DEFAULT_MAX_BYTES, InstantSource.system());
  }

  public StreamPolicy policy(Stream stream) {
    return policies.get(stream);
  }

  public OutboxOptions withPolicy(Stream stream, StreamPolicy policy) {
    Map<Stream, StreamPolicy> m = new EnumMap<>(policies);
    m.put(stream, policy);
    return new OutboxOptions(maxBytes, clock, m, maxOpsPerCommit);
  }

  private static Map<Stream, StreamPolicy> defaultPolicies(long maxBytes) {
    return Map.of(
        Stream.RECEIPTS, new StreamPolicy(StreamPolicy.Overflow.KEEP_ALL, 1.0, 0),
        Stream.ALERTS, new StreamPolicy(StreamPolicy.Overflow.REFUSE, 1.0, 0),
        Stream.EVENTS, new StreamPolicy(StreamPolicy.Overflow.REFUSE, 0.95, 0),
        Stream.TELEMETRY, new StreamPolicy(StreamPolicy.Overflow.DROP_OLDEST, 0.90, Math.max(1, maxBytes / 10)));
  }
}
