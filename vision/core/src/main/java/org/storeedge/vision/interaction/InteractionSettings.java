package org.storeedge.vision.interaction;

/**
 * @param minDwellMillis a track must stay in a zone this long before the interaction starts
 *     (walking past a shelf is not an interaction), &gt;= 0
 * @param exitGraceMillis a track seen outside the zone for longer than this ends the
 *     interaction; shorter excursions (foot-point jitter at the zone edge) do not, &gt;= 0
 */
public record InteractionSettings(long minDwellMillis, long exitGraceMillis) {

  public InteractionSettings {
    if (minDwellMillis < 0 || exitGraceMillis < 0) {
      throw new IllegalArgumentException("interaction minDwellMillis and exitGraceMillis must be >= 0 (got: "
          + minDwellMillis + ", " + exitGraceMillis + ")");
    }
  }

  public static InteractionSettings defaults() {
    return new InteractionSettings(700, 400);
  }
}
