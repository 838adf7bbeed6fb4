package org.storeedge.core.outbox;

/**
 * The durable store-and-forward queue between the agent and the uplink.
 *
 * <p>{@link #append} returns only once the entry is on disk (a receipt survives a power cut from
 * that moment); it may be called from any thread. An entry leaves the outbox only when the uplink
 * has it acknowledged by the broker, or by an explicit, counted eviction policy.
 */
public interface Outbox {

  /**
   * Appends one message durably.
   *
   * @param stream priority class
   * @param topicSuffix topic under the gateway's prefix, e.g. {@code receipts}
   * @param key idempotency key, unique per message and stable across re-sends (e.g. receiptId)
   * @param payload message bytes (UTF-8 JSON)
   * @return the entry's sequence number
   * @throws OutboxFullException when the stream's cap refuses the entry (never for receipts)
   */
  long append(Stream stream, String topicSuffix, String key, byte[] payload) throws OutboxFullException;

  /** Entries not yet acknowledged, all streams. */
  long pendingCount();

  /** Thrown when a stream is over its cap and its policy refuses new entries. */
  final class OutboxFullException extends Exception {
    private static final long serialVersionUID = 1L;

    public OutboxFullException(String message) {
      super(message);
    }
  }
}
