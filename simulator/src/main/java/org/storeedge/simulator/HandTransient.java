package org.storeedge.simulator;

import java.util.Random;

/**
 * The load a hand (or an elbow) adds to a lane from {@code onNanos} to {@code offNanos}: a
 * low-frequency wobble of random sign and size, correlated hand noise, and sometimes a short
 * press. Zero outside that interval, ramped in and out over 150 ms. Parameters are drawn at plan
 * time from the plan's random stream; the hand noise is drawn at sampling time from the lane's.
 * Owned by one lane; not thread-safe.
 */
final class HandTransient {
  private static final double RAMP_SECONDS = 0.15;
  private static final double NOISE_TAU_SECONDS = 0.1;

  final long onNanos;
  final long offNanos;
  private final double amplitude;
  private final double frequencyHz;
  private final double phase;
  private final double pressStart;
  private final double pressLength;
  private final double pressGrams;
  private double noise;
  private long lastNanos = Long.MIN_VALUE;

  private HandTransient(long onNanos, long offNanos, double amplitude, double frequencyHz, double phase,
      double pressStart, double pressLength, double pressGrams) {
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

  /** Grams this hand adds at {@code atNanos}; {@code r} supplies the hand noise. */
  double grams(long atNanos, Random r) {
    if (atNanos <= onNanos || atNanos >= offNanos || amplitude == 0 && pressGrams == 0) {
      return 0;
    }
    double u = (atNanos - onNanos) / 1e9;
    double d = (offNanos - onNanos) / 1e9;
    if (lastNanos == Long.MIN_VALUE) {
      noise = r.nextGaussian() * 0.15 * Math.abs(amplitude);
    } else {
      double a = Math.exp(-((atNanos - lastNanos) / 1e9) / NOISE_TAU_SECONDS);
      noise = noise * a + Math.sqrt(1 - a * a) * r.nextGaussian() * 0.15 * Math.abs(amplitude);
    }
    lastNanos = atNanos;
    double env = Math.min(1, Math.min(u / RAMP_SECONDS, (d - u) / RAMP_SECONDS));
    double wobble = amplitude * (0.6 + 0.4 * Math.sin(2 * Math.PI * frequencyHz * u + phase));
    double press = 0;
    if (pressLength > 0 && u > pressStart && u < pressStart + pressLength) {
      double s = Math.sin(Math.PI * (u - pressStart) / pressLength);
      press = pressGrams * s * s;
    }
    return env * (wobble + noise) + press;
  }
}
