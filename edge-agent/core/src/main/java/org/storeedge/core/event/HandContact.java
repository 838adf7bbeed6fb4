package org.storeedge.core.event;

/**
 * Hands of two tracked people met away from the shelves: something may have been handed over,
 * which no load cell sees.
 *
 * @param trackId one person's track
 * @param customerToken its bound token, or null
 * @param otherTrackId the other person's track
 * @param otherCustomerToken its bound token, or null
 * @param atMillis capture time of the contact, epoch milliseconds
 * @param confidence the source's belief in the contact, in (0, 1]
 */
public record HandContact(String trackId, String customerToken, String otherTrackId, String otherCustomerToken,
    long atMillis, double confidence) {
  public HandContact {
    if (trackId == null || otherTrackId == null) {
      throw new IllegalArgumentException("hand contact needs two tracks");
    }
    if (!(confidence > 0 && confidence <= 1)) {
      throw new IllegalArgumentException("hand contact confidence must be in (0, 1], got " + confidence);
    }
  }
}
