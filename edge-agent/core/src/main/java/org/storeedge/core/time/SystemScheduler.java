package org.storeedge.core.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Wall time, with timers on one named daemon thread. Close it to stop the thread. */
public final class SystemScheduler implements Scheduler, AutoCloseable {
  private final InstantSource clock;
  private final ScheduledExecutorService executor;

  public SystemScheduler(String threadName) {
    this(InstantSource.system(), threadName);
  }

  public SystemScheduler(InstantSource clock, String threadName) {
    this.clock = clock;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public Instant instant() {
    return clock.instant();
  }

  @Override
  public long millis() {
    return clock.millis();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f = executor.schedule(guard(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
    ScheduledFuture<?> f = executor.scheduleAtFixedRate(guard(task), initialDelay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  /** A failing task is logged to stderr and does not stop its schedule. */
  private static Runnable guard(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
      }
    };
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
