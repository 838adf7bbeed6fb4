package org.storeedge.core.time;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Virtual time: the clock only moves when {@link #runUntil} or {@link #runNext} advance it to the
 * next due task. Deterministic: tasks due at the same instant run in the order they were
 * scheduled. Single-threaded: run it from one thread; other threads may only {@link #execute}
 * (their tasks are queued and run at the current virtual time).
 *
 * <p>With a pace (virtual seconds per wall second, &gt; 0) {@link #runUntil} waits on the wall
 * clock so that virtual time does not run ahead of {@code start + wall * pace}; with pace 0 it
 * runs as fast as it can.
 */
public final class VirtualScheduler implements Scheduler {
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private final ConcurrentLinkedQueue<Runnable> fromOtherThreads = new ConcurrentLinkedQueue<>();
  private long nowNanos; // virtual epoch nanos
  private long seq;
  private final double pace;
  private long paceStartWallNanos;
  private long paceStartVirtualNanos;

  public VirtualScheduler(Instant start) {
    this(start, 0);
  }

  public VirtualScheduler(Instant start, double pace) {
    if (pace < 0) {
      throw new IllegalArgumentException("pace must be >= 0 (got: " + pace + ")");
    }
    this.nowNanos = start.getEpochSecond() * 1_000_000_000L + start.getNano();
    this.pace = pace;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochSecond(0, nowNanos);
  }

  @Override
  public long millis() {
    return Math.floorDiv(nowNanos, 1_000_000L);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must be >= 0 (got: " + delay + ")");
    }
    Task t = new Task(nowNanos + delay.toNanos(), seq++, task, 0);
    queue.add(t);
    return () -> t.cancelled = true;
  }

  @Override
  public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be > 0 (got: " + period + ")");
    }
    Task t = new Task(nowNanos + initialDelay.toNanos(), seq++, task, period.toNanos());
    queue.add(t);
    return () -> t.cancelled = true;
  }

  /** Safe from any thread: the task runs on the thread driving this scheduler, at virtual now. */
  @Override
  public Cancellable execute(Runnable task) {
    Runnable[] holder = {task};
    fromOtherThreads.add(() -> {
      if (holder[0] != null) {
        holder[0].run();
      }
    });
    return () -> holder[0] = null;
  }

  /** Runs every task due up to and including {@code until}, then sets the clock to {@code until}. */
  public void runUntil(Instant until) {
    long untilNanos = until.getEpochSecond() * 1_000_000_000L + until.getNano();
    if (pace > 0 && paceStartWallNanos == 0) {
      paceStartWallNanos = System.nanoTime();
      paceStartVirtualNanos = nowNanos;
    }
    while (true) {
      drainOtherThreads();
      Task t = queue.peek();
      if (t == null || t.dueNanos > untilNanos) {
        break;
      }
      queue.poll();
      if (t.cancelled) {
        continue;
      }
      waitForPace(t.dueNanos);
      nowNanos = Math.max(nowNanos, t.dueNanos);
      t.action.run();
      if (t.periodNanos > 0 && !t.cancelled) {
        t.dueNanos += t.periodNanos;
        t.seq = seq++;
        queue.add(t);
      }
    }
    waitForPace(untilNanos);
    nowNanos = Math.max(nowNanos, untilNanos);
    drainOtherThreads();
  }

  /** Advances by {@code d} running everything due. */
  public void advance(Duration d) {
    runUntil(instant().plus(d));
  }

  /** Runs the next due task (advancing the clock to it); false when nothing is scheduled. */
  public boolean runNext() {
    drainOtherThreads();
    Task t;
    do {
      t = queue.peek();
      if (t == null) {
        return false;
      }
      if (t.cancelled) {
        queue.poll();
      }
    } while (t.cancelled);
    runUntil(Instant.ofEpochSecond(0, t.dueNanos));
    return true;
  }

  /** Number of pending tasks (cancelled ones included until they come due). */
  public int pending() {
    return queue.size() + fromOtherThreads.size();
  }

  private void drainOtherThreads() {
    Runnable r;
    while ((r = fromOtherThreads.poll()) != null) {
      r.run();
    }
  }

  private void waitForPace(long targetVirtualNanos) {
    if (pace <= 0) {
      return;
    }
    long wallTarget = paceStartWallNanos + (long) ((targetVirtualNanos - paceStartVirtualNanos) / pace);
    long wait;
    while ((wait = wallTarget - System.nanoTime()) > 0) {
      drainOtherThreads();
      try {
        Thread.sleep(Math.min(wait / 1_000_000L + 1, 20));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static final class Task implements Comparable<Task> {
    long dueNanos;
    long seq;
    final Runnable action;
    final long periodNanos;
    boolean cancelled;

    Task(long dueNanos, long seq, Runnable action, long periodNanos) {
      this.dueNanos = dueNanos;
      this.seq = seq;
      this.action = action;
      this.periodNanos = periodNanos;
    }

    @Override
    public int compareTo(Task o) {
      int c = Long.compare(dueNanos, o.dueNanos);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
