package org.storeedge.runtime.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.DriverFactory;
import org.storeedge.core.device.DriverRegistry;
import org.storeedge.core.device.ReadingSink;
import org.storeedge.core.device.WeightDriver;
import org.storeedge.core.time.Scheduler;

/**
 * Sits between the drivers and the agent: every reading passes the {@link LaneCalibrator}, and OK
 * readings are counted per device so a health check can tell whether each device delivers.
 *
 * <p>{@link #registry()} wraps each factory of the base registry; give it to the Agent instead of
 * the base. Counting runs on driver threads (one map lookup, one atomic increment).
 */
public final class DeviceTap {
  private final DriverRegistry base;
  private final LaneCalibrator calibrator;
  private final Map<String, AtomicLong> okReadings = new ConcurrentHashMap<>();
  private final Object signal = new Object();

  public DeviceTap(DriverRegistry base, LaneCalibrator calibrator) {
    this.base = base;
    this.calibrator = calibrator;
  }

  public DriverRegistry base() {
    return base;
  }

  public LaneCalibrator calibrator() {
    return calibrator;
  }

  /** The base registry's factories, each making drivers whose readings go through this tap. */
  public DriverRegistry registry() {
    List<DriverFactory> wrapped = new ArrayList<>();
    for (String type : base.types()) {
      DriverFactory f = base.factory(type).orElseThrow();
      wrapped.add(new DriverFactory() {
        @Override
        public String type() {
          return f.type();
        }

        @Override
        public List<ConfigProblem> validate(StoreConfig.Device device) {
          return f.validate(device);
        }

        @Override
        public WeightDriver create(StoreConfig.Device device, List<StoreConfig.Lane> lanes, Scheduler scheduler,
            ReadingSink sink) {
          AtomicLong count = okReadings.computeIfAbsent(device.id(), k -> new AtomicLong());
          return f.create(device, lanes, scheduler, r -> {
            if (r.status().ok() && count.getAndIncrement() == 0) {
              synchronized (signal) {
                signal.notifyAll();
              }
            }
            sink.accept(calibrator.correct(r));
          });
        }
      });
    }
    return new DriverRegistry(wrapped);
  }

  /** OK readings per device since the last {@link #resetCounts}. */
  public long okReadings(String deviceId) {
    AtomicLong c = okReadings.get(deviceId);
    return c == null ? 0 : c.get();
  }

  /** Forgets the counts; call before (re)starting the agent so a health check sees only new readings. */
  public void resetCounts() {
    okReadings.values().forEach(c -> c.set(0));
  }

  /**
   * Blocks the caller (wall time) until each device in {@code deviceIds} has delivered at least one
   * OK reading since the last reset, or {@code timeout} passes. Returns the devices still silent
   * (empty: all delivered).
   */
  public Set<String> awaitReadings(Set<String> deviceIds, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (signal) {
      while (true) {
        Set<String> silent = new TreeSet<>();
        for (String d : deviceIds) {
          if (okReadings(d) == 0) {
            silent.add(d);
          }
        }
        long left = deadline - System.nanoTime();
        if (silent.isEmpty() || left <= 0) {
          return silent;
        }
        TimeUnit.NANOSECONDS.timedWait(signal, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
      }
    }
  }
}
