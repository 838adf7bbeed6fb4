package org.storeedge.sync.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polling for conditions that depend on a real network peer (broker, server process), where no
 * latch can be had. Generous timeouts; a failure says what was awaited.
 */
public final class Poll {
  private Poll() {}

  public static void until(Duration timeout, BooleanSupplier condition, String what) {
    until(timeout, condition, () -> what);
  }

  public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what.get());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what.get(), e);
      }
    }
  }
}
