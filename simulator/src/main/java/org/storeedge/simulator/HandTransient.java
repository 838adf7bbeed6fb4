package org.storeedge.simulator;

import java.util.Random;

/**
 * The load a hand (or an elbow) adds to a lane from {@code onNanos} to {@code offNanos}: a
 * low-frequency wobble of random sign and size, correlated hand noise, and sometimes a short
 * press. Zero outside that interval, ramped in and out over 150 ms. A lean ({@link #lean}) is
 * a long, positive, slowly varying load instead: an elbow or a hand resting on the shelf. Parameters are drawn at plan
 * time from the plan's random stream; the hand noise is drawn at sampling time from the lane's.
 * Owned by one lane; not thread-safe.
 */
final class HandTransient {
  private static final double RAMP_SECONDS = 0.15;
  private static final double NOISE_TAU_SECONDS = 0.1;
  private static final double HAND_NOISE_FRACTION = 0.15;

  final long onNanos;
  final long offNanos;
  private final double amplitude;
  private final double frequencyHz;
  private final double phase;
  private final double pressStart;
  private final double pressLength;
  private final double pressGrams;
  private final double base;
  private final double depth;
  private final double trend;
  private final double ramp;
  private final double noiseFraction;
  private double noise;
  private long lastNanos = Long.MIN_VALUE;

  private HandTransient(long onNanos, long offNanos, double amplitude, double frequencyHz, double phase,
      double pressStart, double pressLength, double pressGrams) {
    this(onNanos, offNanos, amplitude, frequencyHz, phase, pressStart, pressLength, pressGrams, 0.6, 0.4, 0, RAMP_SECONDS,
        HAND_NOISE_FRACTION);
  }

  private HandTransient(long onNanos, long offNanos, double amplitude, double frequencyHz, double phase,
      double pressStart, double pressLength, double pressGrams, double base, double depth, double trend, double ramp,
      double noiseFraction) {
    this.base = base;
    this.depth = depth;
    this.trend = trend;
    this.ramp = ramp;
    this.noiseFraction = noiseFraction;
    this.onNanos = onNanos;
    this.offNanos = offNanos;
    this.amplitude = amplitude;
    this.frequencyHz = frequencyHz;
    this.phase = phase;
    this.pressStart = pressStart;
    this.pressLength = pressLength;
    this.pressGrams = pressGrams;
  }

  /** Draws a hand of typical size {@code grams} on the lane over [on, off]. */
  static HandTransient draw(Random r, long onNanos, long offNanos, double grams) {
    double d = (offNanos - onNanos) / 1e9;
    double sign = r.nextBoolean() ? 1 : -1;
    double amplitude = sign * grams * Seeds.uniform(r, 0.5, 1.5);
    double f = Seeds.uniform(r, 0.5, 2.5);
    double phase = Seeds.uniform(r, 0, 2 * Math.PI);
    double ps = 0;
    double pl = 0;
    double pg = 0;
    if (r.nextDouble() < 0.3 && d > 0.8) {
      pl = Math.min(Seeds.uniform(r, 0.2, 0.5), d - 0.5);
      ps = Seeds.uniform(r, RAMP_SECONDS, d - RAMP_SECONDS - pl);
      pg = grams * Seeds.uniform(r, 1, 3);
    }
    return new HandTransient(onNanos, offNanos, amplitude, f, phase, ps, pl, pg);
  }

  /**
   * An elbow or hand resting on the lane over [on, off] with a load of about {@code grams}
   * (0.6-1.4x, always pressing down), varying slowly: a 0.1-0.4 Hz swell of 15-35 %, a drift of
   * up to +-30 % over the lean, 5 % hand noise, ramped in and out over 0.3-0.6 s.
   */
  static HandTransient lean(Random r, long onNanos, long offNanos, double grams) {
    double amplitude = grams * Seeds.uniform(r, 0.6, 1.4);
    double f = Seeds.uniform(r, 0.1, 0.4);
    double phase = Seeds.uniform(r, 0, 2 * Math.PI);
    double depth = Seeds.uniform(r, 0.15, 0.35);
    double trend = Seeds.uniform(r, -0.3, 0.3);
    double ramp = Math.min(Seeds.uniform(r, 0.3, 0.6), (offNanos - onNanos) / 2e9);
    return new HandTransient(onNanos, offNanos, amplitude, f, phase, 0, 0, 0, 1.0, depth, trend, ramp, 0.05);
  }

  /**
   * Something set down on the lane over [on, off] that weighs {@code grams} and lies still (a
   * basket, a bag): set down and lifted off over 0.2-0.5 s each, with a brief settling sway and 0.2 %
   * noise while it lies there.
   */
  static HandTransient still(Random r, long onNanos, long offNanos, double grams) {
    double ramp = Math.min(Seeds.uniform(r, 0.2, 0.5), (offNanos - onNanos) / 2e9);
    return new HandTransient(onNanos, offNanos, grams, 0, 0, 0, 0, 0, 1.0, 0, 0, ramp, 0.002);
  }

  /** Grams this hand adds at {@code atNanos}; {@code r} supplies the hand noise. */
  double grams(long atNanos, Random r) {
    if (atNanos <= onNanos || atNanos >= offNanos || amplitude == 0 && pressGrams == 0) {
      return 0;
    }
    double u = (atNanos - onNanos) / 1e9;
    double d = (offNanos - onNanos) / 1e9;
    if (lastNanos == Long.MIN_VALUE) {
      noise = r.nextGaussian() * noiseFraction * Math.abs(amplitude);
    } else {
      double a = Math.exp(-((atNanos - lastNanos) / 1e9) / NOISE_TAU_SECONDS);
      noise = noise * a + Math.sqrt(1 - a * a) * r.nextGaussian() * noiseFraction * Math.abs(amplitude);
    }
    lastNanos = atNanos;
    double env = Math.min(1, Math.min(u / ramp, (d - u) / ramp));
    double wobble = amplitude * (base + depth * Math.sin(2 * Math.PI * frequencyHz * u + phase) + trend * u / d);
    double press = 0;
    if (pressLength > 0 && u > pressStart && u < pressStart + pressLength) {
      double s = Math.sin(Math.PI * (u - pressStart) / pressLength);
      press = pressGrams * s * s;
    }
    return env * (wobble + noise) + press;
  }
}
