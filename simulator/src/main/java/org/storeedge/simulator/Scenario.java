package org.storeedge.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What happens in a simulated store: scripted shoppers and/or generated traffic, the noise of
 * the shelves and the seed every random draw derives from (same scenario, same run).
 *
 * @param source file or resource it came from, for messages
 * @param start virtual instant of time 0; empty means the scheduler's time when the store is built
 */
public record Scenario(String source, long seed, Optional<Instant> start, NoiseModel noise,
    List<ShopperScript> shoppers, Optional<GeneratedTraffic> generated) {

  public Scenario {
    shoppers = List.copyOf(shoppers);
  }

  /** Generated traffic only, default noise; for the demo. */
  public static Scenario generated(long seed, double shoppersPerHour, double durationSeconds) {
    return generated(seed, GeneratedTraffic.of(shoppersPerHour, durationSeconds));
  }

  public static Scenario generated(long seed, GeneratedTraffic traffic) {
    return new Scenario("<generated>", seed, Optional.empty(), NoiseModel.DEFAULT, List.of(), Optional.of(traffic));
  }

  /** Scripted shoppers only, default noise. */
  public static Scenario scripted(long seed, List<ShopperScript> shoppers) {
    return new Scenario("<program>", seed, Optional.empty(), NoiseModel.DEFAULT, shoppers, Optional.empty());
  }

  public Scenario withNoise(NoiseModel n) {
    return new Scenario(source, seed, start, n, shoppers, generated);
  }

  public Scenario withStart(Instant s) {
    return new Scenario(source, seed, Optional.of(s), noise, shoppers, generated);
  }

  public Scenario withSeed(long s) {
    return new Scenario(source, s, start, noise, shoppers, generated);
  }
}
