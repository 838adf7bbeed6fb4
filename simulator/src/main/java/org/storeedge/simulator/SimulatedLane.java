package org.storeedge.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The physics of one lane (one plate on one load cell). It holds actual units, each with its own
 * weight, and answers what a calibrated load cell would read at a given virtual instant:
 *
 * <pre>
 *   reading = zero offset + sum(unit weight + its off-centre error)   static load
 *           + creep   first-order lag towards creepFraction * each load change
 *           + drift   random walk, driftGramsPerHour per sqrt(hour)
 *           + vibration (correlated, ~50 ms) + electrical white noise
 *           + hands on the lane (see HandTransient)
 * </pre>
 *
 * Called only from the scheduler thread that plays the store (sampling and load changes), in
 * non-decreasing time; not thread-safe.
 */
final class SimulatedLane {
  /** One physical item; {@code grams} is its true weight. */
  record Unit(int id, String sku, double grams) {}

  private record Placed(Unit unit, double offCentreGrams) {}

  private static final double VIBRATION_TAU_SECONDS = 0.05;

  private final String id;
  private final NoiseModel noise;
  private final double fullScaleGrams;
  private final Random random;
  private final double zeroOffsetGrams;
  private final List<Placed> placed = new ArrayList<>();
  private final List<HandTransient> hands = new ArrayList<>();
  private double staticLoad;
  private double creep;
  private double creepTarget;
  private double drift;
  private double vibration;
  private long lastNanos = Long.MIN_VALUE;

  SimulatedLane(String id, List<Unit> initial, NoiseModel noise, double fullScaleGrams, Random random) {
    this.id = id;
    this.noise = noise;
    this.fullScaleGrams = fullScaleGrams;
    this.random = random;
    // a calibrated, tared cell still reads a little off zero
    this.zeroOffsetGrams = noise.electricalGrams() > 0 || noise.driftGramsPerHour() > 0 ? Seeds.uniform(random, -2, 2) : 0;
    for (Unit u : initial) {
      placed.add(new Placed(u, offCentre(u)));
    }
    staticLoad = placed.stream().mapToDouble(p -> p.unit().grams() + p.offCentreGrams()).sum();
    creepTarget = noise.creepFraction() * staticLoad;
    creep = creepTarget; // loaded long before the run: creep has settled
    vibration = random.nextGaussian() * noise.vibrationGrams();
  }

  String id() {
    return id;
  }

  double fullScaleGrams() {
    return fullScaleGrams;
  }

  List<Unit> units() {
    return placed.stream().map(Placed::unit).toList();
  }

  /** The load the cell would settle to without noise, drift or creep: units + off-centre errors. */
  double staticLoadGrams() {
    return staticLoad;
  }

  void place(List<Unit> units, long atNanos) {
    advance(atNanos);
    double delta = 0;
    for (Unit u : units) {
      Placed p = new Placed(u, offCentre(u));
      placed.add(p);
      delta += u.grams() + p.offCentreGrams();
    }
    changeLoad(delta);
  }

  /** Removes exactly these units; they must be on the lane. */
  void remove(List<Unit> units, long atNanos) {
    advance(atNanos);
    double delta = 0;
    for (Unit u : units) {
      Placed p = placed.stream().filter(x -> x.unit().id() == u.id()).findFirst()
          .orElseThrow(() -> new IllegalStateException("unit " + u + " is not on lane " + id));
      placed.remove(p);
      delta -= u.grams() + p.offCentreGrams();
    }
    changeLoad(delta);
  }

  void handOn(HandTransient h) {
    hands.add(h);
  }

  void handOff(HandTransient h) {
    hands.remove(h);
  }

  /** What the cell reads at {@code atNanos} (virtual epoch nanoseconds, non-decreasing). */
  double sample(long atNanos) {
    advance(atNanos);
    double hand = 0;
    for (HandTransient h : hands) {
      hand += h.grams(atNanos, random);
    }
    double electrical = noise.electricalGrams() > 0 ? random.nextGaussian() * noise.electricalGrams() : 0;
    return zeroOffsetGrams + staticLoad + creep + drift + vibration + hand + electrical;
  }

  private void changeLoad(double delta) {
    staticLoad += delta;
    creepTarget += noise.creepFraction() * delta;
  }

  private double offCentre(Unit u) {
    return noise.offCentreFraction() > 0 ? Seeds.uniform(random, -1, 1) * noise.offCentreFraction() * u.grams() : 0;
  }

  private void advance(long atNanos) {
    if (lastNanos == Long.MIN_VALUE) {
      lastNanos = atNanos;
      return;
    }
    if (atNanos <= lastNanos) {
      return;
    }
    double dt = (atNanos - lastNanos) / 1e9;
    lastNanos = atNanos;
    creep = creepTarget + (creep - creepTarget) * Math.exp(-dt / noise.creepTimeConstantSeconds());
    if (noise.driftGramsPerHour() > 0) {
      drift += noise.driftGramsPerHour() * Math.sqrt(dt / 3600) * random.nextGaussian();
    }
    if (noise.vibrationGrams() > 0) {
      double a = Math.exp(-dt / VIBRATION_TAU_SECONDS);
      vibration = vibration * a + Math.sqrt(1 - a * a) * noise.vibrationGrams() * random.nextGaussian();
    }
  }
}
