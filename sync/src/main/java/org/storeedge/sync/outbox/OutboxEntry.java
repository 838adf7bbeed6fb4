package org.storeedge.sync.outbox;

import org.storeedge.core.outbox.Stream;

/**
 * One stored message as handed to the uplink.
 *
 * @param seq outbox sequence number, increasing in append order across all streams
 * @param topic topic suffix under the gateway prefix, e.g. {@code receipts}
 * @param key idempotency key given by the producer
 * @param createdMillis append time, epoch milliseconds of the outbox's clock
 * @param attempts how many times the entry was sent and came back unacknowledged
 */
public record OutboxEntry(long seq, Stream stream, String topic, String key, byte[] payload,
    long createdMillis, int attempts) {

  @Override
  public String toString() {
    return "OutboxEntry[seq=" + seq + ", stream=" + stream + ", topic=" + topic + ", key=" + key
        + ", bytes=" + payload.length + ", attempts=" + attempts + "]";
  }
}
