package org.storeedge.simulator;

import java.util.Random;

/** Independent, reproducible random streams derived from the scenario seed, one per purpose. */
final class Seeds {
  private Seeds() {}

  static Random random(long seed, String purpose) {
    return new Random(mix(mix(seed) ^ purpose.hashCode() * 0x9E3779B97F4A7C15L));
  }

  /** SplitMix64 finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  static double uniform(Random r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  static long nanos(double seconds) {
    return Math.round(seconds * 1e9);
  }
}
