package org.storeedge.driver.opcua;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.storeedge.core.device.ReadingSink;
import org.storeedge.core.device.ReadingStatus;
import org.storeedge.core.device.WeightReading;

/** Keeps every reading; tests wait on it with a monitor wait, never a sleep. */
final class RecordingSink implements ReadingSink {
  private final List<WeightReading> readings = new ArrayList<>();

  @Override
  public synchronized void accept(WeightReading r) {
    readings.add(r);
    notifyAll();
  }

  synchronized List<WeightReading> all() {
    return List.copyOf(readings);
  }

  synchronized List<WeightReading> lane(String laneId) {
    return readings.stream().filter(r -> r.laneId().equals(laneId)).toList();
  }

  synchronized int size() {
    return readings.size();
  }

  /** Waits until a reading after index {@code from} matches; returns it. */
  synchronized WeightReading awaitFrom(int from, String what, Predicate<WeightReading> match, Duration patience)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      for (int i = from; i < readings.size(); i++) {
        if (match.test(readings.get(i))) {
          return readings.get(i);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("timed out after " + patience + " waiting for " + what + "; readings: " + tail());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  WeightReading await(String what, Predicate<WeightReading> match, Duration patience) throws InterruptedException {
    return awaitFrom(0, what, match, patience);
  }

  static Predicate<WeightReading> ok(String laneId, double grams) {
    return r -> r.laneId().equals(laneId) && r.status() == ReadingStatus.OK && Math.abs(r.grams() - grams) < 1e-6;
  }

  static Predicate<WeightReading> status(String laneId, ReadingStatus status) {
    return r -> r.laneId().equals(laneId) && r.status() == status;
  }

  private String tail() {
    int n = readings.size();
    return (n > 30 ? "... " : "") + readings.subList(Math.max(0, n - 30), n);
  }
}
