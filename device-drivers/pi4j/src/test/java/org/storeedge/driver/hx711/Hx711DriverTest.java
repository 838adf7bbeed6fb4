package org.storeedge.driver.hx711;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.ReadingStatus;
import org.storeedge.core.device.WeightReading;

class Hx711DriverTest {
  private Rig rig;

  @AfterEach
  void close() {
    if (rig != null) {
      rig.close();
    }
  }

  private static boolean ok(WeightReading r) {
    return r.status() == ReadingStatus.OK;
  }

  @Test
  void settlingConversionsAfterStartAreDiscardedAndNoSettledOneIsLost() throws Exception {
    rig = new Rig(SampleRate.SPS_10);
    FakeHx711 chip = rig.lane("a1", 5, 6, Gain.A128).queue(Gain.A128, 1001, 1002, 1003);
    Hx711Driver d = rig.driver();
    d.start();

    List<WeightReading> got = rig.sink.await("a1", "3 readings", l -> l.size() >= 3);

    assertThat(got.subList(0, 3)).extracting(WeightReading::grams).containsExactly(1001.0, 1002.0, 1003.0);
    assertThat(got.subList(0, 3)).allMatch(Hx711DriverTest::ok);
    assertThat(chip.unsettledConversions()).as("the fake did produce settling conversions").isGreaterThanOrEqualTo(4);
    assertThat(d.stats().discarded()).isGreaterThanOrEqualTo(4);
    assertThat(chip.maxHighMicros()).as("clock high time, us").isLessThan(Hx711.MAX_CLOCK_HIGH_MICROS);
  }

  @Test
  void readingsAreCalibratedAndStampedOnTheSchedulersClockOnePeriodApart() throws Exception {
    rig = new Rig(SampleRate.SPS_10);
    rig.lane("a1", 5, 6, Gain.A128, 500, 100).queue(Gain.A128, 10_500, 500, -9_500, 25_550);
    rig.driver().start();

    List<WeightReading> got = rig.sink.await("a1", "4 readings", l -> l.size() >= 4).subList(0, 4);

    assertThat(got).extracting(WeightReading::grams).containsExactly(100.0, 0.0, -100.0, 250.5);
    long start = rig.clock.instantSource().millis() - rig.clock.micros() / 1000;
    for (int i = 1; i < got.size(); i++) {
      long gap = got.get(i).atMillis() - got.get(i - 1).atMillis();
      assertThat(gap).as("virtual ms between readings %d and %d", i - 1, i).isBetween(90L, 110L);
    }
    // First conversion after start-up settling (400 ms) comes at 500 ms of virtual time.
    assertThat(got.get(0).atMillis() - start).isBetween(500L, 520L);
  }

  @Test
  void aSilentChipIsReportedDisconnectedIsPowerCycledAndRecovers() throws Exception {
    rig = new Rig(SampleRate.SPS_80);
    FakeHx711 chip = rig.lane("a1", 5, 6, Gain.A128);
    Hx711Driver d = rig.driver();
    d.start();
    rig.sink.await("a1", "OK", l -> l.stream().anyMatch(Hx711DriverTest::ok));

    chip.silent(true);
    List<WeightReading> got = rig.sink.await("a1", "4 DISCONNECTED", l -> l.stream().filter(r -> r.status() == ReadingStatus.DISCONNECTED).count() >= 4);
    assertThat(got.stream().filter(r -> !r.status().ok())).allMatch(r -> r.status() == ReadingStatus.DISCONNECTED && Double.isNaN(r.grams()));
    assertThat(d.stats().powerCycles()).as("power cycles after %d faults", Hx711Settings.DEFAULT_POWER_CYCLE_AFTER_FAULTS).isGreaterThanOrEqualTo(1);

    chip.silent(false);
    int firstFault = RecordingSink.indexOf(got, 0, r -> !r.status().ok());
    List<WeightReading> after = rig.sink.await("a1", "OK after the fault", l -> RecordingSink.indexOf(l, firstFault, Hx711DriverTest::ok) >= 0);
    assertThat(after).noneMatch(r -> r.grams() == FakeHx711.UNSETTLED);
  }

  @Test
  void aStuckValueIsReportedAfterTheConfiguredRunAndThePowerCycledChipsSettlingIsDiscarded() throws Exception {
    rig = new Rig(SampleRate.SPS_80);
    FakeHx711 chip = rig.lane("a1", 5, 6, Gain.A128);
    chip.stuck(777);
    Hx711Driver d = rig.driver(rig.settings().withStuckSamples(5));
    d.start();

    List<WeightReading> got = rig.sink.await("a1", "STUCK after a power cycle",
        l -> l.stream().filter(r -> r.status() == ReadingStatus.STUCK).count() >= 8);
    assertThat(got.subList(0, 4)).allMatch(r -> ok(r) && r.grams() == 777.0);
    assertThat(got.get(4).status()).isEqualTo(ReadingStatus.STUCK);
    assertThat(got).allMatch(r -> r.grams() == 777.0);
    assertThat(d.stats().powerCycles()).isGreaterThanOrEqualTo(1);
    assertThat(chip.wakeUps()).isGreaterThanOrEqualTo(1);
    assertThat(chip.unsettledConversions()).as("settling after the power cycle too").isGreaterThan(4);

    chip.stuck(null);
    int n = got.size();
    List<WeightReading> after = rig.sink.await("a1", "OK again", l -> RecordingSink.indexOf(l, n, Hx711DriverTest::ok) >= 0);
    assertThat(after).noneMatch(r -> r.grams() == FakeHx711.UNSETTLED);
    assertThat(after.get(RecordingSink.indexOf(after, n, Hx711DriverTest::ok)).grams()).isNotEqualTo(777.0);
  }

  @Test
  void fullScaleCodesAreSaturatedEitherWayAndClearWhenTheLoadReturnsToRange() throws Exception {
    rig = new Rig(SampleRate.SPS_80);
    FakeHx711 chip = rig.lane("a1", 5, 6, Gain.A128);
    rig.driver().start();
    rig.sink.await("a1", "OK", l -> l.stream().anyMatch(Hx711DriverTest::ok));

    chip.saturated(true);
    rig.sink.await("a1", "SATURATED high", l -> l.stream().anyMatch(r -> r.status() == ReadingStatus.SATURATED && r.grams() > 0));
    chip.saturated(false);
    rig.sink.await("a1", "SATURATED low", l -> l.stream().anyMatch(r -> r.status() == ReadingStatus.SATURATED && r.grams() < 0));
    int n = rig.sink.lane("a1").size();
    chip.saturated(null);
    List<WeightReading> got = rig.sink.await("a1", "OK again", l -> RecordingSink.indexOf(l, n, Hx711DriverTest::ok) >= 0);

    assertThat(got.stream().filter(r -> r.status() == ReadingStatus.SATURATED))
        .allMatch(r -> r.grams() == Hx711.MAX_CODE || r.grams() == Hx711.MIN_CODE);
    assertThat(got).noneMatch(r -> r.status() == ReadingStatus.STUCK);
  }

  @Test
  void twoChipsOnOneDeviceAreReadIndependentlyAndOneFaultStaysOnItsLane() throws Exception {
    rig = new Rig(SampleRate.SPS_10);
    FakeHx711 left = rig.lane("a1", 5, 6, Gain.A128);
    FakeHx711 right = rig.lane("a2", 13, 19, Gain.A128);
    left.source(Gain.A128, counter(1_000));
    right.source(Gain.A128, counter(-50_000));
    rig.driver().start();

    rig.sink.await("a1", "5 readings", l -> l.size() >= 5);
    rig.sink.await("a2", "5 readings", l -> l.size() >= 5);
    assertThat(rig.sink.lane("a1")).allMatch(r -> ok(r) && r.grams() >= 1_000 && r.grams() < 10_000);
    assertThat(rig.sink.lane("a2")).allMatch(r -> ok(r) && r.grams() >= -50_000 && r.grams() < -40_000);

    right.silent(true);
    rig.sink.await("a2", "DISCONNECTED", l -> l.stream().anyMatch(r -> r.status() == ReadingStatus.DISCONNECTED));
    int n = rig.sink.lane("a1").size();
    rig.sink.await("a1", "more readings while a2 is down", l -> l.size() >= n + 5);
    assertThat(rig.sink.lane("a1")).allMatch(Hx711DriverTest::ok);
  }

  @Test
  void channelsAandBOfOneChipAlternateEachWithItsOwnGainAndValues() throws Exception {
    rig = new Rig(SampleRate.SPS_80);
    FakeHx711 chip = rig.lane("a1", 5, 6, Gain.A64);
    rig.lane("b1", 5, 6, Gain.B32);
    chip.source(Gain.A64, counter(100_000));
    chip.source(Gain.B32, counter(-7_000_000));
    chip.source(Gain.A128, () -> 4_242_424);
    rig.driver().start();

    rig.sink.await("a1", "4 readings", l -> l.size() >= 4);
    rig.sink.await("b1", "4 readings", l -> l.size() >= 4);

    assertThat(rig.sink.lane("a1")).allMatch(r -> ok(r) && r.grams() >= 100_000 && r.grams() < 200_000);
    assertThat(rig.sink.lane("b1")).allMatch(r -> ok(r) && r.grams() >= -7_000_000 && r.grams() < -6_000_000);
    assertThat(chip.maxHighMicros()).isLessThan(Hx711.MAX_CLOCK_HIGH_MICROS);
  }

  @Test
  void stopEndsTheReadingThreadAndClosesTheGpioAndStartWorksAgain() throws Exception {
    rig = new Rig(SampleRate.SPS_80);
    rig.lane("a1", 5, 6, Gain.A128);
    Hx711Driver d = rig.driver();
    d.start();
    rig.sink.await("a1", "a reading", l -> !l.isEmpty());
    assertThat(threadAlive()).isTrue();

    d.stop();
    assertThat(threadAlive()).isFalse();
    assertThat(rig.gpio.closed.get()).isEqualTo(1);
    long total = rig.sink.total();
    d.stop();
    assertThat(rig.sink.total()).isEqualTo(total);

    d.start();
    rig.sink.await("a1", "readings after restart", l -> l.size() > total);
    d.stop();
    assertThat(rig.gpio.closed.get()).isEqualTo(2);
  }

  @Test
  void aLaneOnAnUndefinedChannelIsRejectedWithItsName() {
    rig = new Rig(SampleRate.SPS_10);
    rig.lane("a1", 5, 6, Gain.A128);
    rig.lanes.add(new StoreConfig.Lane("a9", "X", 1, 1, "nope", new StoreConfig.Position(0, 0)));
    assertThatThrownBy(() -> rig.driver()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a9").hasMessageContaining("'nope'");
  }

  @Test
  void pinsThatCannotBeOpenedFailStartWithTheirNumbersAndReleaseTheGpio() {
    rig = new Rig(SampleRate.SPS_10);
    rig.channels.add(new Hx711Settings.Channel("0", 20, 21, Gain.A128, 0, 1));
    rig.lanes.add(new StoreConfig.Lane("a1", "X", 1, 1, "0", new StoreConfig.Position(0, 0)));
    Hx711Driver d = rig.driver();
    assertThatThrownBy(d::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("20/21");
    assertThat(rig.gpio.closed.get()).isEqualTo(1);
  }

  @Test
  void aFailingSinkIsCountedAndDoesNotStopReading() throws Exception {
    rig = new Rig(SampleRate.SPS_80);
    rig.lane("a1", 5, 6, Gain.A128);
    AtomicInteger calls = new AtomicInteger();
    Hx711Driver d = new Hx711Driver("bank-1", rig.settings(), rig.lanes, () -> rig.gpio, rig.scheduler, r -> {
      if (calls.incrementAndGet() % 2 == 1) {
        throw new IllegalStateException("full");
      }
      rig.sink.accept(r);
    });
    try {
      d.start();
      rig.sink.await("a1", "readings despite failures", l -> l.size() >= 5);
      assertThat(d.stats().sinkErrors()).isGreaterThanOrEqualTo(5);
    } finally {
      d.stop();
    }
  }

  private static boolean threadAlive() {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(Hx711Driver.threadName("bank-1")) && t.isAlive());
  }

  private static java.util.function.IntSupplier counter(int start) {
    int[] next = {start};
    return () -> next[0]++;
  }
}
