package org.storeedge.sync.state;

/**
 * The correction applied to one lane's readings before the weight pipeline:
 * {@code grams' = (grams - zeroGrams) * gain}.
 *
 * @param zeroGrams the reading (uncorrected grams) of the empty lane
 * @param gain true grams per reported gram above zero, &gt; 0
 * @param updatedMillis when it was last changed, epoch milliseconds
 * @param lastStep what changed it last: {@code tare}, {@code span} or {@code set}
 */
public record LaneCalibration(String laneId, double zeroGrams, double gain, long updatedMillis, String lastStep) {
  /** Below and above this a gain is a mistake (wrong known weight, wrong lane), not a correction. */
  public static final double MIN_GAIN = 0.2;
  public static final double MAX_GAIN = 5.0;

  public LaneCalibration {
    if (laneId == null || laneId.isBlank()) {
      throw new IllegalArgumentException("laneId must be non-blank");
    }
    if (!Double.isFinite(zeroGrams)) {
      throw new IllegalArgumentException("lane " + laneId + " zeroGrams must be finite (got: " + zeroGrams + ")");
    }
    if (!(gain >= MIN_GAIN && gain <= MAX_GAIN)) {
      throw new IllegalArgumentException("lane " + laneId + " gain must be in [" + MIN_GAIN + ", " + MAX_GAIN
          + "] (got: " + gain + ")");
    }
  }

  /** No correction. */
  public static LaneCalibration identity(String laneId) {
    return new LaneCalibration(laneId, 0, 1, 0, "none");
  }

  public double apply(double grams) {
    return (grams - zeroGrams) * gain;
  }
}
