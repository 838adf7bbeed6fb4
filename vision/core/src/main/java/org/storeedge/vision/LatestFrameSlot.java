package org.storeedge.vision;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Latest-wins hand-off between a capture thread and an inference thread: one slot, no queue.
 * {@link #offer} never blocks; a frame still in the slot when the next arrives is replaced and
 * counted as dropped. {@link #take} blocks the consumer until a frame is there.
 *
 * <p>Thread-safe. Counters only grow: {@code offered == taken + dropped + (slot full ? 1 : 0)}.
 */
public final class LatestFrameSlot implements FrameSink {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition filled = lock.newCondition();
  private Frame frame;
  private long offered;
  private long dropped;
  private long taken;

  /** Capture thread: puts {@code f} in the slot, replacing (and counting) an unconsumed frame. */
  public void offer(Frame f) {
    if (f == null) {
      throw new IllegalArgumentException("frame must not be null");
    }
    lock.lock();
    try {
      offered++;
      if (frame != null) {
        dropped++;
      }
      frame = f;
      filled.signal();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void accept(Frame f) {
    offer(f);
  }

  /**
   * Consumer thread: the newest frame, waiting up to {@code timeout}; null when none arrived in
   * time. Throws {@link InterruptedException} when interrupted (the pipeline stops that way).
   */
  public Frame take(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (frame == null) {
        if (nanos <= 0) {
          return null;
        }
        nanos = filled.awaitNanos(nanos);
      }
      return takeLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Any thread: the frame in the slot without waiting, or null. */
  public Frame poll() {
    lock.lock();
    try {
      return frame == null ? null : takeLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Any thread: empties the slot without taking; a frame discarded this way counts as dropped
   * (used when inference is throttled and a stale frame must not be processed later).
   */
  public void discard() {
    lock.lock();
    try {
      if (frame != null) {
        frame = null;
        dropped++;
      }
    } finally {
      lock.unlock();
    }
  }

  private Frame takeLocked() {
    Frame f = frame;
    frame = null;
    taken++;
    return f;
  }

  public long offered() {
    lock.lock();
    try {
      return offered;
    } finally {
      lock.unlock();
    }
  }

  public long dropped() {
    lock.lock();
    try {
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  public long taken() {
    lock.lock();
    try {
      return taken;
    } finally {
      lock.unlock();
    }
  }

  /** A consistent view of the three counters. */
  public Counters counters() {
    lock.lock();
    try {
      return new Counters(offered, dropped, taken);
    } finally {
      lock.unlock();
    }
  }

  public record Counters(long offered, long dropped, long taken) {}
}
