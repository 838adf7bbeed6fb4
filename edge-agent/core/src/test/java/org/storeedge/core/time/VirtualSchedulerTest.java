package org.storeedge.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualSchedulerTest {
  private final Instant t0 = Instant.parse("2026-01-05T09:00:00Z");
  private final VirtualScheduler s = new VirtualScheduler(t0);

  @Test
  void tasksRunInTimeOrderAndTheClockOnlyMovesWhenAdvanced() {
    List<String> ran = new ArrayList<>();
    s.schedule(Duration.ofSeconds(2), () -> ran.add("b@" + s.millis()));
    s.schedule(Duration.ofSeconds(1), () -> ran.add("a@" + s.millis()));
    assertThat(s.instant()).isEqualTo(t0);
    s.advance(Duration.ofSeconds(5));
    assertThat(ran).containsExactly("a@" + t0.plusSeconds(1).toEpochMilli(), "b@" + t0.plusSeconds(2).toEpochMilli());
    assertThat(s.instant()).isEqualTo(t0.plusSeconds(5));
  }

  @Test
  void tasksDueAtTheSameInstantRunInTheOrderTheyWereScheduled() {
    List<Integer> ran = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      s.schedule(Duration.ofMillis(10), () -> ran.add(n));
    }
    s.advance(Duration.ofMillis(10));
    assertThat(ran).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void periodicTasksRepeatUntilCancelled() {
    List<Long> at = new ArrayList<>();
    Scheduler.Cancellable c = s.scheduleAtFixedRate(Duration.ofMillis(100), Duration.ofMillis(250), () -> at.add(s.millis()));
    s.advance(Duration.ofSeconds(1));
    assertThat(at).hasSize(4); // 100, 350, 600, 850
    c.cancel();
    s.advance(Duration.ofSeconds(1));
    assertThat(at).hasSize(4);
  }

  @Test
  void aTaskCanScheduleAnotherThatStillRunsWithinTheSameAdvance() {
    List<String> ran = new ArrayList<>();
    s.schedule(Duration.ofMillis(100), () -> s.schedule(Duration.ofMillis(100), () -> ran.add("inner@" + s.millis())));
    s.advance(Duration.ofMillis(500));
    assertThat(ran).containsExactly("inner@" + t0.plusMillis(200).toEpochMilli());
  }

  @Test
  void workPostedFromAnotherThreadRunsOnTheDrivingThread() throws Exception {
    List<String> ran = new ArrayList<>();
    Thread other = new Thread(() -> s.execute(() -> ran.add(Thread.currentThread().getName())), "poster");
    other.start();
    other.join();
    s.advance(Duration.ofMillis(1));
    assertThat(ran).containsExactly(Thread.currentThread().getName());
  }

  @Test
  void runNextJumpsToTheNextTaskAndReportsAnEmptyQueue() {
    s.schedule(Duration.ofMinutes(3), () -> {});
    assertThat(s.runNext()).isTrue();
    assertThat(s.instant()).isEqualTo(t0.plus(Duration.ofMinutes(3)));
    assertThat(s.runNext()).isFalse();
  }

  @Test
  void negativeDelaysAndPeriodsAreRefused() {
    assertThatThrownBy(() -> s.schedule(Duration.ofMillis(-1), () -> {})).hasMessageContaining("delay");
    assertThatThrownBy(() -> s.scheduleAtFixedRate(Duration.ZERO, Duration.ZERO, () -> {})).hasMessageContaining("period");
  }
}
