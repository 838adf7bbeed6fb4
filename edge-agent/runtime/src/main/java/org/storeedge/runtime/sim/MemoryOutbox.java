package org.storeedge.runtime.sim;

import java.util.concurrent.atomic.AtomicLong;
import org.storeedge.core.outbox.Outbox;
import org.storeedge.core.outbox.Stream;

/**
 * An outbox that only counts, for scoring runs that measure recognition and not delivery
 * ({@code storeedge score}). Never used by an agent that serves a store.
 */
final class MemoryOutbox implements Outbox {
  private final AtomicLong seq = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  @Override
  public long append(Stream stream, String topicSuffix, String key, byte[] payload) {
    bytes.addAndGet(payload.length);
    return seq.incrementAndGet();
  }

  @Override
  public long pendingCount() {
    return 0;
  }

  long appended() {
    return seq.get();
  }

  long bytes() {
    return bytes.get();
  }
}
