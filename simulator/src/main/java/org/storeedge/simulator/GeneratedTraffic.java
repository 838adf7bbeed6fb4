package org.storeedge.simulator;

/**
 * Generated shoppers: Poisson arrivals at {@code shoppersPerHour} during {@code durationSeconds}
 * of virtual time (starting after the last scripted shopper has left). Each takes on average
 * {@code meanItems} items (at least one) from lanes that still hold stock, sometimes puts one
 * back to the same lane, and leaves.
 *
 * @param overlap false: at most one shopper in the store at a time (an arrival waits until the
 *     previous shopper has left)
 */
public record GeneratedTraffic(double shoppersPerHour, double durationSeconds, double meanItems,
    double putBackProbability, boolean overlap) {

  public static final double DEFAULT_MEAN_ITEMS = 2.5;
  public static final double DEFAULT_PUT_BACK_PROBABILITY = 0.1;

  public GeneratedTraffic {
    if (!(shoppersPerHour > 0) || Double.isInfinite(shoppersPerHour)) {
      throw new IllegalArgumentException("shoppersPerHour must be > 0 (got: " + shoppersPerHour + ")");
    }
    if (!(durationSeconds > 0) || Double.isInfinite(durationSeconds)) {
      throw new IllegalArgumentException("durationSeconds must be > 0 (got: " + durationSeconds + ")");
    }
    if (!(meanItems >= 1) || Double.isInfinite(meanItems)) {
      throw new IllegalArgumentException("meanItems must be >= 1 (got: " + meanItems + ")");
    }
    if (!(putBackProbability >= 0 && putBackProbability <= 1)) {
      throw new IllegalArgumentException("putBackProbability must be in 0..1 (got: " + putBackProbability + ")");
    }
  }

  public static GeneratedTraffic of(double shoppersPerHour, double durationSeconds) {
    return new GeneratedTraffic(shoppersPerHour, durationSeconds, DEFAULT_MEAN_ITEMS, DEFAULT_PUT_BACK_PROBABILITY, false);
  }
}
