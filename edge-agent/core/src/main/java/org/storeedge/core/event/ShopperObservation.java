package org.storeedge.core.event;

/**
 * Where a tracked shopper is on the store floor at one instant (from vision or the simulator).
 *
 * @param trackId tracker id, stable while the shopper is tracked
 * @param customerToken the token bound to this track at the gate, or null when not (yet) bound
 * @param x metres, store frame
 * @param y metres, store frame
 * @param atMillis capture time, epoch milliseconds
 * @param identityConfidence 0..1, how sure the source is that this track is the shopper of
 *     {@code customerToken}: 1 for a track bound at the gate (or the simulator's own), lower for a
 *     track that took the token over from another one where several shoppers could have been it
 */
public record ShopperObservation(String trackId, String customerToken, double x, double y, long atMillis,
    double identityConfidence) {
  public ShopperObservation {
    if (!(identityConfidence >= 0 && identityConfidence <= 1)) {
      throw new IllegalArgumentException("identityConfidence must be within 0..1 (got: " + identityConfidence + ")");
    }
  }

  /** An observation whose identity is not in doubt. */
  public ShopperObservation(String trackId, String customerToken, double x, double y, long atMillis) {
    this(trackId, customerToken, x, y, atMillis, 1.0);
  }
}
