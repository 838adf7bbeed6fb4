package org.storeedge.sync.mqtt;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: {@code initial * 2^attempt} capped at {@code max}, then spread by a uniform
 * jitter of {@code +-jitter} (so with the standard 25 % a capped delay lies in 90..150 s). Jitter
 * keeps a fleet of gateways from reconnecting in lockstep after a broker outage.
 *
 * <p>Not thread-safe when the random generator is not; the uplink uses it from its own thread.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final double jitter;
  private final RandomGenerator random;

  public Backoff(Duration initial, Duration max, double jitter, RandomGenerator random) {
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial must be > 0 (got: " + initial + ")");
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max must be >= initial (got: " + max + " < " + initial + ")");
    }
    if (!(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException("jitter must be in [0, 1) (got: " + jitter + ")");
    }
    this.initial = initial;
    this.max = max;
    this.jitter = jitter;
    this.random = random;
  }

  /** 1 s doubling to 2 min, +-25 % jitter. */
  public static Backoff standard(RandomGenerator random) {
    return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(2), 0.25, random);
  }

  /** Delay before reconnect attempt {@code attempt} (0 = first retry), without jitter. */
  public Duration baseDelay(int attempt) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0 (got: " + attempt + ")");
    }
    long initialMs = initial.toMillis();
    long maxMs = max.toMillis();
    int shift = Math.min(attempt, 62);
    long ms = initialMs > (maxMs >> shift) ? maxMs : Math.min(maxMs, initialMs << shift);
    return Duration.ofMillis(ms);
  }

  /** Delay before reconnect attempt {@code attempt}, jittered. */
  public Duration delay(int attempt) {
    long base = baseDelay(attempt).toMillis();
    double factor = 1 + jitter * (2 * random.nextDouble() - 1);
    return Duration.ofMillis(Math.max(1, Math.round(base * factor)));
  }

  public double jitter() {
    return jitter;
  }
}
