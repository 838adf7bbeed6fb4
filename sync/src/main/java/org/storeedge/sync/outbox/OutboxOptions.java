package org.storeedge.sync.outbox;

import java.time.Duration;
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
 * <p>The default policy ({@link #defaultPolicies}):
 *
 * <ul>
 *   <li>receipts: never refused, evicted nor expired; going over the cap raises an alarm;
 *   <li>alerts: refused at 100 % of the cap or below 64 MiB free disk; never expire;
 *   <li>events: refused at 95 % of the cap or below 256 MiB free disk; expire after 14 days;
 *   <li>telemetry: its oldest entries are dropped to stay under a tenth of the cap (and first,
 *       to make room for any other stream); refused at 90 % of the cap or below 512 MiB free
 *       disk; expire after 24 hours.
 * </ul>
 *
 * @param maxBytes cap on pending bytes, &gt; 0
 * @param clock source of entry creation times and ages
 * @param policies one policy per stream (missing streams get the default)
 * @param maxOpsPerCommit most appends/acknowledgements grouped into one transaction, &gt; 0
 * @param freeSpace usable bytes of the database's file system, probed once per group commit
 * @param sweepInterval how often (by {@code clock}) expired entries are looked for, &gt; 0
 */
public record OutboxOptions(long maxBytes, InstantSource clock, Map<Stream, StreamPolicy> policies,
    int maxOpsPerCommit, FreeSpaceProbe freeSpace, Duration sweepInterval) {

  public static final long DEFAULT_MAX_BYTES = 2L * 1024 * 1024 * 1024;
  private static final long MIB = 1024L * 1024;

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
    if (freeSpace == null) {
      throw new IllegalArgumentException("freeSpace must be set (FreeSpaceProbe.fileStore() for the real disk)");
    }
    if (sweepInterval == null || sweepInterval.isNegative() || sweepInterval.isZero()) {
      throw new IllegalArgumentException("sweepInterval must be > 0 (got: " + sweepInterval + ")");
    }
    EnumMap<Stream, StreamPolicy> copy = new EnumMap<>(Stream.class);
    copy.putAll(defaultPolicies(maxBytes));
    copy.putAll(policies);
    StreamPolicy receipts = copy.get(Stream.RECEIPTS);
    if (receipts.overflow() != StreamPolicy.Overflow.KEEP_ALL) {
      throw new IllegalArgumentException("receipts must use KEEP_ALL (got: " + receipts.overflow() + ")");
    }
    if (!receipts.maxAge().isZero() || receipts.minFreeDiskBytes() != 0) {
      throw new IllegalArgumentException("receipts never expire and are never refused for disk space "
          + "(got maxAge " + receipts.maxAge() + ", minFreeDiskBytes " + receipts.minFreeDiskBytes() + ")");
    }
    policies = Map.copyOf(copy);
  }

  /** Default policies, real disk, one sweep a minute. */
  public OutboxOptions(long maxBytes, InstantSource clock, Map<Stream, StreamPolicy> policies, int maxOpsPerCommit) {
    this(maxBytes, clock, policies, maxOpsPerCommit, FreeSpaceProbe.fileStore(), Duration.ofMinutes(1));
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
    return new OutboxOptions(maxBytes, clock, m, maxOpsPerCommit, freeSpace, sweepInterval);
  }

  public OutboxOptions withFreeSpace(FreeSpaceProbe probe) {
    return new OutboxOptions(maxBytes, clock, policies, maxOpsPerCommit, probe, sweepInterval);
  }

  public OutboxOptions withMaxOpsPerCommit(int n) {
    return new OutboxOptions(maxBytes, clock, policies, n, freeSpace, sweepInterval);
  }

  public static Map<Stream, StreamPolicy> defaultPolicies(long maxBytes) {
    return Map.of(
        Stream.RECEIPTS, new StreamPolicy(StreamPolicy.Overflow.KEEP_ALL, 1.0, 0),
        Stream.ALERTS, new StreamPolicy(StreamPolicy.Overflow.REFUSE, 1.0, 0, Duration.ZERO, 64 * MIB),
        Stream.EVENTS, new StreamPolicy(StreamPolicy.Overflow.REFUSE, 0.95, 0, Duration.ofDays(14), 256 * MIB),
        Stream.TELEMETRY, new StreamPolicy(StreamPolicy.Overflow.DROP_OLDEST, 0.90, Math.max(1, maxBytes / 10),
            Duration.ofHours(24), 512 * MIB));
  }
}
