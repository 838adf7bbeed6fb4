package org.storeedge.core.event;

/**
 * A shopper passing a gate.
 *
 * @param customerToken pseudonymous token scanned at check-in (app QR code, card token); the
 *     same token on exit closes that shopper's session
 * @param atMillis epoch milliseconds
 */
public record GateEvent(String gateId, Direction direction, String customerToken, long atMillis) {
  public enum Direction {
    ENTER,
    EXIT
  }
}
