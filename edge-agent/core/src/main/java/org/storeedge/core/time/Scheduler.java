package org.storeedge.core.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The one source of time and timers. Production code asks it for the time and schedules work on
 * it; it never calls {@code Instant.now()}, {@code System.currentTimeMillis()} or {@code
 * Thread.sleep}. {@link SystemScheduler} runs on wall time, {@link VirtualScheduler} on virtual
 * time (simulator, tests).
 *
 * <p>Tasks run one at a time on the scheduler's own thread, in time order; a task must not block.
 */
public interface Scheduler extends InstantSource {

  /** Runs {@code task} once after {@code delay} (&gt;= 0). */
  Cancellable schedule(Duration delay, Runnable task);

  /** Runs {@code task} every {@code period}, first after {@code initialDelay}. */
  Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task);

  /** Runs {@code task} as soon as possible on the scheduler's thread. */
  default Cancellable execute(Runnable task) {
    return schedule(Duration.ZERO, task);
  }

  /** Current time in epoch milliseconds. */
  @Override
  default long millis() {
    return instant().toEpochMilli();
  }

  @Override
  Instant instant();

  /** A handle to cancel a scheduled task; cancelling twice or after it ran is harmless. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
