package org.storeedge.checkout.cart;

import org.storeedge.config.StoreConfig;

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
 * @param handHitRate what the checkout believes of its hand source: the chance that the hand of the
 *     shopper who moved an item is reported in that lane during the event
 * @param handFalseRate the chance that the hand of a shopper near the lane who did NOT move the item
 *     is reported in it during the event (touching, browsing, a hand given to the wrong body)
 * @param handOffs what items passed between shoppers mean for the receipts (the store's policy)
 * @param handContactPrecision the share of hand contacts between a shopper holding items and one
 *     holding none that really passed an item over (see {@link StoreConfig.Checkout})
 */
public record CheckoutSettings(double associationRadiusMeters, double reviewThreshold, long exitSettleMaxMillis,
    long presenceWindowBeforeMillis, long presenceWindowAfterMillis, double handHitRate, double handFalseRate,
    StoreConfig.HandOffPolicy handOffs, double handContactPrecision) {
  public CheckoutSettings {
    if (handOffs == null) {
      throw new IllegalArgumentException("handOffs is required");
    }
    if (!(handContactPrecision > 0 && handContactPrecision < 1)) {
      throw new IllegalArgumentException("hand contact precision must be above 0 and below 1 (got "
          + handContactPrecision + ")");
    }
    if (!(handHitRate > 0 && handHitRate < 1 && handFalseRate > 0 && handFalseRate < handHitRate)) {
      throw new IllegalArgumentException("hand rates must satisfy 0 < false rate < hit rate < 1 (got hit "
          + handHitRate + ", false " + handFalseRate + ")");
    }
  }

  public CheckoutSettings(double associationRadiusMeters, double reviewThreshold, long exitSettleMaxMillis,
      long presenceWindowBeforeMillis, long presenceWindowAfterMillis) {
    this(associationRadiusMeters, reviewThreshold, exitSettleMaxMillis, presenceWindowBeforeMillis,
        presenceWindowAfterMillis, StoreConfig.Checkout.DEFAULT_HAND_HIT_RATE, StoreConfig.Checkout.DEFAULT_HAND_FALSE_RATE,
        StoreConfig.HandOffPolicy.REVIEW, StoreConfig.Checkout.DEFAULT_HAND_CONTACT_PRECISION);
  }

  public static CheckoutSettings defaults() {
    return new CheckoutSettings(1.5, StoreConfig.Checkout.DEFAULT_REVIEW_THRESHOLD, 1500, 1000, 500);
  }

  /** The defaults with the store's own policy and belief in its hand source (its {@code checkout} section). */
  public static CheckoutSettings forStore(StoreConfig.Checkout policy) {
    CheckoutSettings d = defaults();
    return new CheckoutSettings(d.associationRadiusMeters, policy.reviewThreshold(), d.exitSettleMaxMillis,
        d.presenceWindowBeforeMillis, d.presenceWindowAfterMillis, policy.handHitRate(), policy.handFalseRate(), policy.handOffs(),
        policy.handContactPrecision());
  }

  public CheckoutSettings withHandRates(double hit, double falseRate) {
    return new CheckoutSettings(associationRadiusMeters, reviewThreshold, exitSettleMaxMillis,
        presenceWindowBeforeMillis, presenceWindowAfterMillis, hit, falseRate, handOffs, handContactPrecision);
  }

  /** Whether a hand contact between a holder of items and an empty-handed shopper moves an item (see {@link StoreConfig.Checkout}). */
  public boolean handContactsMoveItems() {
    return handContactPrecision > StoreConfig.Checkout.HAND_CONTACT_MOVES_ABOVE
        && handOffs != StoreConfig.HandOffPolicy.TAKER_PAYS;
  }
}
