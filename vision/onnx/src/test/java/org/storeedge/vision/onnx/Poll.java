package org.storeedge.vision.onnx;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Polling for conditions that depend on a real network peer (a stream server, a child process),
 * where no latch can be had. Generous timeouts; a failure says what was awaited.
 */
final class Poll {
  private Poll() {}

  static void until(Duration timeout, BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
