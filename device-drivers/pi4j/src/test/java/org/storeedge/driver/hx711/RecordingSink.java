package org.storeedge.driver.hx711;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.storeedge.core.device.ReadingSink;
import org.storeedge.core.device.WeightReading;

/** Keeps the first {@code cap} readings per lane; tests wait on it with a monitor, never sleep. */
final class RecordingSink implements ReadingSink {
  static final Duration PATIENCE = Duration.ofSeconds(60);
  private final Map<String, List<WeightReading>> byLane = new HashMap<>();
  private final int cap;
  private long total;

  RecordingSink(int cap) {
    this.cap = cap;
  }

  RecordingSink() {
    this(20_000);
  }

  @Override
  public synchronized void accept(WeightReading r) {
    total++;
    List<WeightReading> l = byLane.computeIfAbsent(r.laneId(), k -> new ArrayList<>());
    if (l.size() < cap) {
      l.add(r);
    }
    notifyAll();
  }

  synchronized List<WeightReading> lane(String laneId) {
    return List.copyOf(byLane.getOrDefault(laneId, List.of()));
  }

  synchronized long total() {
    return total;
  }

  /** Waits until {@code done} holds for the readings of {@code laneId}; returns them. */
  synchronized List<WeightReading> await(String laneId, String what, Predicate<List<WeightReading>> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      List<WeightReading> l = byLane.getOrDefault(laneId, List.of());
      if (done.test(l)) {
        return List.copyOf(l);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("timed out waiting for " + what + " on " + laneId + "; last readings: "
            + l.subList(Math.max(0, l.size() - 5), l.size()));
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Index of the first reading at or after {@code from} that matches, or -1. */
  static int indexOf(List<WeightReading> l, int from, Predicate<WeightReading> p) {
    for (int i = Math.max(0, from); i < l.size(); i++) {
      if (p.test(l.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
