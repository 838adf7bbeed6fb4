package org.storeedge.sync.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void baseDelayDoublesFromOneSecondAndCapsAtTwoMinutes() {
    Backoff b = Backoff.standard(new Random(1));
    List<Long> secs = IntStream.range(0, 10).mapToObj(i -> b.baseDelay(i).toSeconds()).toList();
    assertThat(secs).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 120L, 120L, 120L);
    assertThat(b.baseDelay(10_000)).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void jitterStaysWithinQuarterOfTheBaseAndActuallyVaries() {
    Backoff b = Backoff.standard(new Random(42));
    List<Long> seen = new ArrayList<>();
    for (int round = 0; round < 200; round++) {
      for (int attempt = 0; attempt < 9; attempt++) {
        long base = b.baseDelay(attempt).toMillis();
        long d = b.delay(attempt).toMillis();
        assertThat(d).isBetween(Math.round(base * 0.75), Math.round(base * 1.25));
        if (attempt == 0) {
          seen.add(d);
        }
      }
    }
    assertThat(seen.stream().distinct().count()).isGreaterThan(50);
    assertThat(seen.stream().mapToLong(Long::longValue).min().orElseThrow()).isLessThan(800);
    assertThat(seen.stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThan(1200);
  }

  @Test
  void sameSeedGivesTheSameSchedule() {
    Backoff a = Backoff.standard(new Random(9));
    Backoff b = Backoff.standard(new Random(9));
    for (int i = 0; i < 20; i++) {
      assertThat(a.delay(i)).isEqualTo(b.delay(i));
    }
  }

  @Test
  void badSettingsAreRefusedWithTheValue() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0.25, new Random()))
        .hasMessageContaining("initial must be > 0");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5, new Random()))
        .hasMessageContaining("got: 1.5");
  }
}
