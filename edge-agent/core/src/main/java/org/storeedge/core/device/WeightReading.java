package org.storeedge.core.device;

/**
 * One load reading of one lane, as captured.
 *
 * @param laneId the lane (from the store config) the reading belongs to
 * @param atMillis capture time, epoch milliseconds, from the driver's {@code Scheduler}
 * @param grams calibrated load in grams (meaningless unless {@code status} is OK)
 */
public record WeightReading(String laneId, long atMillis, double grams, ReadingStatus status) {
  public static WeightReading ok(String laneId, long atMillis, double grams) {
    return new WeightReading(laneId, atMillis, grams, ReadingStatus.OK);
  }
}
