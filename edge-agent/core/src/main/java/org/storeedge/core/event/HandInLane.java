package org.storeedge.core.event;

/**
 * A tracked person's hand seen inside a lane (the shelf face in front of its load cell) over an
 * interval, from a camera that sees hands or arms (pose keypoints, a hand detector). Evidence of
 * who moved an item, stronger than where the person's feet were: a shopper reaching past a
 * neighbour stands beside the lane but puts a hand in it.
 *
 * @param trackId tracker id of the person whose hand it is (same ids as {@link ShopperObservation})
 * @param customerToken the token bound to that track, or null when not bound
 * @param laneId the lane the hand was in
 * @param fromMillis first capture with the hand in the lane, epoch milliseconds
 * @param toMillis last capture with the hand in the lane, epoch milliseconds, &gt;= fromMillis
 * @param confidence the source's belief that this hand belongs to this track and was in this
 *     lane, in (0, 1]
 */
public record HandInLane(String trackId, String customerToken, String laneId, long fromMillis, long toMillis,
    double confidence) {
  public HandInLane {
    if (trackId == null || laneId == null) {
      throw new IllegalArgumentException("hand observation needs a track and a lane");
    }
    if (toMillis < fromMillis) {
      throw new IllegalArgumentException("hand observation ends before it starts: " + fromMillis + ".." + toMillis);
    }
    if (!(confidence > 0 && confidence <= 1)) {
      throw new IllegalArgumentException("hand observation confidence must be in (0, 1], got " + confidence);
    }
  }
}
