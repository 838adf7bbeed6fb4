package org.storeedge.core.outbox;

/**
 * Outbox streams in priority order: a lower ordinal is sent first and evicted last. Receipts are
 * never evicted.
 */
public enum Stream {
  RECEIPTS,
  ALERTS,
  EVENTS,
  TELEMETRY;
}
