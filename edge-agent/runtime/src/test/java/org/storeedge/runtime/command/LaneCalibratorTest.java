package org.storeedge.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.core.device.ReadingStatus;
import org.storeedge.core.device.WeightReading;
import org.storeedge.core.time.VirtualScheduler;
import org.storeedge.sync.state.CalibrationStore;
import org.storeedge.sync.state.StateDatabase;

class LaneCalibratorTest {
  @TempDir
  Path dir;

  private final VirtualScheduler clock = new VirtualScheduler(Instant.parse("2026-11-25T09:00:00Z"));

  private static void feed(LaneCalibrator c, VirtualScheduler clock, String lane, double grams, int n) {
    for (int i = 0; i < n; i++) {
      c.correct(WeightReading.ok(lane, clock.millis(), grams + (i % 2 == 0 ? 0.3 : -0.3)));
    }
  }

  @Test
  void tareThenSpanGiveZeroAndGainThatSurviveReopening() throws Exception {
    Path f = dir.resolve("state.db");
    try (StateDatabase db = StateDatabase.open(f)) {
      LaneCalibrator c = new LaneCalibrator(new CalibrationStore(db), clock, Set.of("a1", "a2"));
      feed(c, clock, "a1", 150.0, 40); // empty lane reads 150 g (plate, offset)
      c.tare("a1", 0);
      assertThat(c.current("a1").zeroGrams()).isCloseTo(150.0, offset(0.1));
      feed(c, clock, "a1", 150.0 + 800.0, 40); // 1000 g known weight reads 800 g above zero
      LaneCalibrator.Result r = c.span("a1", 1000);
      assertThat(r.calibration().gain()).isCloseTo(1.25, offset(0.001));
      assertThat(c.correct(WeightReading.ok("a1", clock.millis(), 550)).grams()).isCloseTo(500, offset(0.2));
      // other lanes and faults pass unchanged
      assertThat(c.correct(WeightReading.ok("a2", clock.millis(), 550)).grams()).isEqualTo(550);
      WeightReading fault = new WeightReading("a1", clock.millis(), Double.NaN, ReadingStatus.DISCONNECTED);
      assertThat(c.correct(fault)).isSameAs(fault);
    }
    try (StateDatabase db = StateDatabase.open(f)) {
      LaneCalibrator c = new LaneCalibrator(new CalibrationStore(db), clock, Set.of("a1", "a2"));
      assertThat(c.correct(WeightReading.ok("a1", clock.millis(), 550)).grams()).isCloseTo(500, offset(0.2));
    }
  }

  @Test
  void refusesWithoutReadingsWhileTouchedOnUnknownLanesAndForAbsurdGains() throws Exception {
    try (StateDatabase db = StateDatabase.open(dir.resolve("state.db"))) {
      LaneCalibrator c = new LaneCalibrator(new CalibrationStore(db), clock, Set.of("a1"));
      assertThatThrownBy(() -> c.tare("a1", 0)).hasMessageContaining("recent readings");
      assertThatThrownBy(() -> c.tare("zz", 0)).hasMessageContaining("unknown lane");
      for (int i = 0; i < 40; i++) {
        c.correct(WeightReading.ok("a1", clock.millis(), 500 + (i % 2) * 200)); // a hand on the shelf
      }
      assertThatThrownBy(() -> c.span("a1", 600)).hasMessageContaining("not steady");
      feed(c, clock, "a1", 500, 40);
      assertThatThrownBy(() -> c.span("a1", 50_000)).hasMessageContaining("gain");
      clock.advance(java.time.Duration.ofSeconds(10));
      assertThatThrownBy(() -> c.span("a1", 600)).hasMessageContaining("no reading for");
    }
  }
}
