package org.storeedge.vision.interaction;

/**
 * A tracked shopper standing in a lane's zone: "track T at lane Z from t0 to t1".
 *
 * @param trackId {@code cameraId:trackerId}, stable for the track's life
 * @param customerToken the token bound to the track at the gate, or null when none
 * @param laneId the lane whose zone it is
 * @param fromMillis capture time the track was first seen in the zone (this stay), epoch ms
 * @param toMillis for a started interaction, the capture time it was confirmed (after the
 *     minimum dwell); for an ended one, the last capture time the track was seen in the zone
 */
public record ZoneInteraction(String trackId, String customerToken, String laneId, long fromMillis, long toMillis) {

  public long durationMillis() {
    return toMillis - fromMillis;
  }
}
