package org.storeedge.checkout.weight;

/**
 * Tuning of the per-lane change detector. Defaults follow published load-cell shelf detectors:
 * a ~0.5 s moving window, activity when the signal leaves its baseline by more than the trigger,
 * an event only after the lane is stable again, changes on one lane less than the merge gap apart
 * merged into one.
 *
 * @param stableWindowMillis span of samples that must be quiet to call the lane stable, ms
 * @param stableStdGrams a window is stable when its standard deviation is at most this, grams
 * @param triggerGrams a sample this far from the baseline starts activity, grams
 * @param minChangeGrams smallest net change reported as an event, grams (per lane it is lowered
 *     to 40% of the lightest product planned on the lane's shelf, whose units may be put back on
 *     any of its lanes, never below {@code floorChangeGrams})
 * @param floorChangeGrams absolute lower bound on the per-lane minimum change, grams
 * @param mergeGapMillis activity restarting on a lane within this time after it settled is part of
 *     the same event, ms
 * @param groupGapMillis lane changes of one shelf this close are one shelf event, ms
 */
public record DetectorSettings(
    long stableWindowMillis,
    double stableStdGrams,
    double triggerGrams,
    double minChangeGrams,
    double floorChangeGrams,
    long mergeGapMillis,
    long groupGapMillis) {

  public DetectorSettings {
    if (stableWindowMillis <= 0) {
      throw new IllegalArgumentException("stableWindowMillis must be > 0 (got: " + stableWindowMillis + ")");
    }
    if (stableStdGrams <= 0 || triggerGrams <= 0 || minChangeGrams <= 0 || floorChangeGrams <= 0) {
      throw new IllegalArgumentException("gram thresholds must be > 0");
    }
  }

  public static DetectorSettings defaults() {
    return new DetectorSettings(600, 2.0, 6.0, 10.0, 4.0, 1200, 600);
  }
}
