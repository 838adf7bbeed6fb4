package org.storeedge.simulator;

/**
 * How far a simulated load-cell reading is from the true load. All figures are per lane (one
 * plate / one cell). Defaults follow published HX711 and strain-gauge load-cell characteristics;
 * see the module README for the sources.
 *
 * @param electricalGrams white noise of the ADC chain, grams rms per sample (HX711 on a 5-20 kg
 *     cell: ~0.06-0.1 g)
 * @param handTransientGrams typical size of the disturbance while a hand rests on the lane, grams
 *     (each interaction draws 0.5-1.5x this, plus occasional presses of 1-3x)
 * @param driftGramsPerHour zero drift as a random walk, grams per sqrt(hour)
 * @param creepFraction creep after a load change as a fraction of that change (0.0002 = 0.02%,
 *     the datasheet figure at full load over 30 min)
 * @param creepTimeConstantSeconds time constant of the exponential creep, seconds
 * @param offCentreFraction bound of the persistent error of one unit placed off-centre, as a
 *     fraction of its weight (uniform in +-this per placement)
 * @param vibrationGrams floor vibration, grams rms, correlated over ~50 ms
 * @param touchProbability chance per shopper action that the shopper also touches or leans on a
 *     neighbouring lane without moving anything, 0..1
 */
public record NoiseModel(
    double electricalGrams,
    double handTransientGrams,
    double driftGramsPerHour,
    double creepFraction,
    double creepTimeConstantSeconds,
    double offCentreFraction,
    double vibrationGrams,
    double touchProbability) {

  public static final NoiseModel DEFAULT = new NoiseModel(0.08, 30, 2, 0.0002, 600, 0.01, 0.5, 0);

  public NoiseModel {
    nonNegative("electricalGrams", electricalGrams);
    nonNegative("handTransientGrams", handTransientGrams);
    nonNegative("driftGramsPerHour", driftGramsPerHour);
    nonNegative("creepFraction", creepFraction);
    nonNegative("offCentreFraction", offCentreFraction);
    nonNegative("vibrationGrams", vibrationGrams);
    if (!(creepTimeConstantSeconds > 0)) {
      throw new IllegalArgumentException("creepTimeConstantSeconds must be > 0 (got: " + creepTimeConstantSeconds + ")");
    }
    if (!(touchProbability >= 0 && touchProbability <= 1)) {
      throw new IllegalArgumentException("touchProbability must be in 0..1 (got: " + touchProbability + ")");
    }
  }

  /** No noise at all: readings are exactly the units on the lane. For tests. */
  public static NoiseModel none() {
    return new NoiseModel(0, 0, 0, 0, 600, 0, 0, 0);
  }

  public NoiseModel withElectricalGrams(double v) {
    return new NoiseModel(v, handTransientGrams, driftGramsPerHour, creepFraction, creepTimeConstantSeconds, offCentreFraction, vibrationGrams, touchProbability);
  }

  public NoiseModel withHandTransientGrams(double v) {
    return new NoiseModel(electricalGrams, v, driftGramsPerHour, creepFraction, creepTimeConstantSeconds, offCentreFraction, vibrationGrams, touchProbability);
  }

  public NoiseModel withVibrationGrams(double v) {
    return new NoiseModel(electricalGrams, handTransientGrams, driftGramsPerHour, creepFraction, creepTimeConstantSeconds, offCentreFraction, v, touchProbability);
  }

  public NoiseModel withTouchProbability(double v) {
    return new NoiseModel(electricalGrams, handTransientGrams, driftGramsPerHour, creepFraction, creepTimeConstantSeconds, offCentreFraction, vibrationGrams, v);
  }

  private static void nonNegative(String name, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be a finite number >= 0 (got: " + v + ")");
    }
  }
}
