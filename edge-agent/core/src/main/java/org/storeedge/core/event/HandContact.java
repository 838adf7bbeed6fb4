package org.storeedge.core.event;

/**
 * Hands of two tracked people met away from the shelves: something may have been handed over,
 * which no load cell sees.
 *
 * <p>A camera that only sees two people's hands meet (boxes overlapping, as the vision pipeline's
 * hand zones report) leaves {@code giverTrackId} and {@code sku} null. One that follows the object
 * from hand to hand (a pose model with a held-object detector) says which of the two gave it, and,
 * when it also recognises the product, which product passed and how many.
 *
 * @param trackId one person's track
 * @param customerToken its bound token, or null
 * @param otherTrackId the other person's track
 * @param otherCustomerToken its bound token, or null
 * @param atMillis capture time of the contact, epoch milliseconds
 * @param confidence the source's belief in the contact, in (0, 1]
 * @param giverTrackId which of the two tracks the object left ({@code trackId} or {@code otherTrackId}), or null
 *     when the source cannot tell
 * @param sku the product seen passing over, or null when the source cannot tell; only with a giver
 * @param qty how many units of {@code sku} were seen passing over, at least 1; 0 when the source cannot tell
 *     (always 0 without a product)
 */
public record HandContact(String trackId, String customerToken, String otherTrackId, String otherCustomerToken,
    long atMillis, double confidence, String giverTrackId, String sku, int qty) {
  public HandContact {
    if (trackId == null || otherTrackId == null) {
      throw new IllegalArgumentException("hand contact needs two tracks");
    }
    if (!(confidence > 0 && confidence <= 1)) {
      throw new IllegalArgumentException("hand contact confidence must be in (0, 1], got " + confidence);
    }
    if (giverTrackId != null && !giverTrackId.equals(trackId) && !giverTrackId.equals(otherTrackId)) {
      throw new IllegalArgumentException("hand contact giver " + giverTrackId + " is neither " + trackId + " nor "
          + otherTrackId);
    }
    if (sku != null && (giverTrackId == null || sku.isBlank())) {
      throw new IllegalArgumentException("a hand contact names the product passed only with its giver, got sku '"
          + sku + "' and giver " + giverTrackId);
    }
    if (qty < 0 || (qty > 0 && sku == null)) {
      throw new IllegalArgumentException("a hand contact counts units (" + qty + ") only of a product it names, got sku "
          + sku);
    }
  }

  /** A contact that does not say which way anything went, nor what. */
  public HandContact(String trackId, String customerToken, String otherTrackId, String otherCustomerToken,
      long atMillis, double confidence) {
    this(trackId, customerToken, otherTrackId, otherCustomerToken, atMillis, confidence, null, null, 0);
  }

  /** True when the source said which of the two gave the object. */
  public boolean directed() {
    return giverTrackId != null;
  }
}
