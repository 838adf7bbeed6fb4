package org.storeedge.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.StoreConfig;

/**
 * What every {@link WeightDriver} owes the agent, run against each implementation (fake chip,
 * test server, simulated shelf; a real device under the {@code hardware} tag).
 *
 * <p>A subclass supplies a {@link Rig}: a driver, not yet started, wired to a device the test can
 * break and heal one lane at a time. Drivers may deliver at any rate, so the recorder keeps
 * counters per lane, never the readings themselves. Waits are monitor waits with a generous
 * bound ({@link #patience()}); nothing here asserts on speed.
 */
public abstract class WeightDriverContract {

  /** A driver and the device behind it. Closed after each test, after the driver was stopped. */
  protected interface Rig extends AutoCloseable {
    /** The driver under test, created and not started. */
    WeightDriver driver();

    /** The lanes the driver was created for; each must get readings after start. */
    Set<String> laneIds();

    /** A lane whose device can fail without affecting the other lanes. */
    String laneToBreak();

    /** Makes the device fail for {@code laneId} (silent, stuck, unreachable ...). */
    void breakLane(String laneId) throws Exception;

    /** Undoes {@link #breakLane}; the driver must report OK again by itself. */
    void healLane(String laneId) throws Exception;

    @Override
    default void close() throws Exception {}
  }

  /** Builds a fresh rig whose driver delivers to {@code sink}. */
  protected abstract Rig newRig(ReadingSink sink) throws Exception;

  /** The factory of the driver type under test. */
  protected abstract DriverFactory factory();

  /** A device of {@code factory().type()} whose settings are valid. */
  protected abstract StoreConfig.Device validDevice();

  /**
   * A device of {@code factory().type()} whose settings have at least one problem; its
   * {@code Settings} must carry locations (line &gt; 0) as the config loader would give them.
   */
  protected abstract StoreConfig.Device invalidDevice();

  /** Upper bound for any wait; generous, the suite runs on busy machines. */
  protected Duration patience() {
    return Duration.ofSeconds(60);
  }

  /** How long a stopped driver is watched for stray readings. */
  protected Duration quietPeriod() {
    return Duration.ofMillis(300);
  }

  private final Recorder recorder = new Recorder();
  private Rig rig;

  @AfterEach
  void tearDownRig() throws Exception {
    if (rig != null) {
      rig.driver().stop();
      rig.close();
    }
  }

  private Rig rig() throws Exception {
    rig = newRig(recorder);
    return rig;
  }

  @Test
  void startDeliversOkReadingsForEveryLaneWithNonDecreasingTimestamps() throws Exception {
    Rig r = rig();
    assertThat(r.laneIds()).isNotEmpty();
    r.driver().start();

    recorder.await("3 OK readings on every lane", s -> r.laneIds().stream().allMatch(l -> s.lane(l).ok >= 3), patience());

    synchronized (recorder) {
      for (String lane : r.laneIds()) {
        assertThat(recorder.lane(lane).outOfOrder).as("readings of lane %s going back in time", lane).isZero();
      }
      assertThat(recorder.lanes.keySet()).as("lanes with readings").isSubsetOf(r.laneIds());
      assertThat(recorder.unknownLanes).as("readings without a lane").isEmpty();
    }
  }

  @Test
  void stopEndsDeliveryAndIsIdempotent() throws Exception {
    Rig r = rig();
    r.driver().start();
    recorder.await("an OK reading on every lane", s -> r.laneIds().stream().allMatch(l -> s.lane(l).ok >= 1), patience());

    r.driver().stop();
    CountDownLatch stray = recorder.markStopped();
    assertThat(stray.await(quietPeriod().toMillis(), TimeUnit.MILLISECONDS))
        .as("a reading was delivered after stop() returned").isFalse();
    r.driver().stop();
  }

  @Test
  void aFaultIsReportedForItsLaneOnlyAndRecoveryReturnsOk() throws Exception {
    Rig r = rig();
    String broken = r.laneToBreak();
    assertThat(r.laneIds()).contains(broken);
    r.driver().start();
    recorder.await("an OK reading on every lane", s -> r.laneIds().stream().allMatch(l -> s.lane(l).ok >= 1), patience());

    r.breakLane(broken);
    recorder.await("a fault on " + broken, s -> s.lane(broken).faults >= 1, patience());
    Map<String, Long> okBefore = new java.util.HashMap<>();
    synchronized (recorder) {
      r.laneIds().stream().filter(l -> !l.equals(broken)).forEach(l -> okBefore.put(l, recorder.lane(l).ok));
    }
    // The healthy lanes keep delivering while the broken one is down.
    recorder.await("OK readings on the healthy lanes while " + broken + " is down",
        s -> okBefore.entrySet().stream().allMatch(e -> s.lane(e.getKey()).ok > e.getValue()), patience());

    r.healLane(broken);
    recorder.await("OK again on " + broken, s -> s.lane(broken).okSinceLastFault >= 1, patience());

    synchronized (recorder) {
      for (String lane : r.laneIds()) {
        if (!lane.equals(broken)) {
          assertThat(recorder.lane(lane).faults).as("faults on healthy lane %s", lane).isZero();
        }
      }
      assertThat(recorder.lane(broken).statuses).as("statuses seen on %s", broken)
          .contains(ReadingStatus.OK).anyMatch(s -> !s.ok());
    }
  }

  @Test
  void validateReturnsLocatedProblemsForBadSettingsAndNoneForGoodOnes() {
    assertThat(factory().validate(validDevice())).as("problems of the valid device").isEmpty();

    StoreConfig.Device bad = invalidDevice();
    List<ConfigProblem> problems = factory().validate(bad);
    assertThat(problems).as("problems of the invalid device").isNotEmpty();
    String prefix = bad.settings().pathOf("");
    for (ConfigProblem p : problems) {
      assertThat(p.location().line()).as("line of %s", p).isPositive();
      assertThat(p.keyPath()).as("key path of %s", p).startsWith(prefix);
      assertThat(p.message()).as("message of %s", p).isNotBlank();
    }
  }

  @Test
  void stopWithoutStartIsHarmless() throws Exception {
    Rig r = rig();
    r.driver().stop();
    assertThat(r.driver().deviceId()).isNotBlank();
  }

  /** Counts readings per lane; the sink side runs on the driver's threads. */
  private static final class Recorder implements ReadingSink {
    final Map<String, LaneStats> lanes = new ConcurrentHashMap<>();
    final Set<String> unknownLanes = ConcurrentHashMap.newKeySet();
    private volatile CountDownLatch afterStop;

    @Override
    public synchronized void accept(WeightReading r) {
      if (afterStop != null) {
        afterStop.countDown();
        return;
      }
      if (r == null || r.laneId() == null) {
        unknownLanes.add(String.valueOf(r));
        notifyAll();
        return;
      }
      LaneStats s = lane(r.laneId());
      if (r.atMillis() < s.lastAt) {
        s.outOfOrder++;
      }
      s.lastAt = Math.max(s.lastAt, r.atMillis());
      s.statuses.add(r.status());
      if (r.status().ok()) {
        s.ok++;
        s.okSinceLastFault++;
      } else {
        s.faults++;
        s.okSinceLastFault = 0;
      }
      notifyAll();
    }

    synchronized LaneStats lane(String laneId) {
      return lanes.computeIfAbsent(laneId, k -> new LaneStats());
    }

    synchronized CountDownLatch markStopped() {
      afterStop = new CountDownLatch(1);
      return afterStop;
    }

    synchronized void await(String what, Predicate<Recorder> done, Duration patience) throws InterruptedException {
      long deadline = System.nanoTime() + patience.toNanos();
      while (!done.test(this)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out after " + patience + " waiting for " + what + "; seen: " + lanes);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }

  private static final class LaneStats {
    long ok;
    long faults;
    long okSinceLastFault;
    long lastAt = Long.MIN_VALUE;
    long outOfOrder;
    final Set<ReadingStatus> statuses = EnumSet.noneOf(ReadingStatus.class);

    @Override
    public String toString() {
      return "{ok=" + ok + ", faults=" + faults + ", okSinceLastFault=" + okSinceLastFault + ", statuses=" + statuses + "}";
    }
  }
}
