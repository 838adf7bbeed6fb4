package org.storeedge.checkout.cart;

/**
 * Checkout tuning.
 *
 * @param associationRadiusMeters a shopper farther than this from a lane during its event is not a
 *     candidate for it
 * @param reviewThreshold a line whose confidence is below this flags the receipt for review
 * @param exitSettleMaxMillis longest wait after exit for shelf activity that began before the exit
 *     to resolve; past it the receipt is closed and flagged
 * @param presenceWindowBeforeMillis how long before an event's start a shopper's position counts
 * @param presenceWindowAfterMillis how long after an event's end a shopper's position counts
 */
public record CheckoutSettings(double associationRadiusMeters, double reviewThreshold, long exitSettleMaxMillis,
    long presenceWindowBeforeMillis, long presenceWindowAfterMillis) {
  public static CheckoutSettings defaults() {
    return new CheckoutSettings(1.5, 0.8, 5000, 1000, 500);
  }
}
