package org.storeedge.driver.hx711;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Hx711ChipTest {
  private final FakeClock clock = new FakeClock();

  private static void untilReady(FakeClock clock, Hx711 hx) {
    for (int i = 0; i < 1_000_000 && !hx.isReady(); i++) {
      clock.advance(100);
    }
    assertThat(hx.isReady()).as("conversion ready").isTrue();
  }

  @ParameterizedTest
  @EnumSource(Gain.class)
  void theNumberOfPulsesSelectsTheGainOfTheNextConversion(Gain gain) {
    FakeHx711 chip = new FakeHx711(clock, SampleRate.SPS_10);
    Hx711 hx = new Hx711(chip);
    untilReady(clock, hx);

    hx.read(gain);
    assertThat(chip.lastReadPulses()).isEqualTo(gain.totalPulses());

    clock.advance(SampleRate.SPS_10.periodMicros());
    assertThat(chip.lastSelectedGain()).isEqualTo(gain);
    assertThat(chip.gainInEffect()).isEqualTo(gain);
    assertThat(chip.maxHighMicros()).as("clock high time, us").isLessThan(Hx711.MAX_CLOCK_HIGH_MICROS);
  }

  @Test
  void pulseCountsAreTheDatasheets() {
    assertThat(Gain.A128.totalPulses()).isEqualTo(25);
    assertThat(Gain.B32.totalPulses()).isEqualTo(26);
    assertThat(Gain.A64.totalPulses()).isEqualTo(27);
    assertThat(Gain.ofTotalPulses(28)).isNull();
  }

  @Test
  void valuesAtEachGainComeFromThatInput() {
    FakeHx711 chip = new FakeHx711(clock, SampleRate.SPS_80).queue(Gain.A128, 11).queue(Gain.B32, -22);
    Hx711 hx = new Hx711(chip);
    clock.advance(SampleRate.SPS_80.settlingMicros() + SampleRate.SPS_80.periodMicros());
    untilReady(clock, hx);
    assertThat(hx.read(Gain.B32).value()).isEqualTo(11);

    // Four conversions settle at the new gain, then B's value comes.
    int settled = 0;
    for (int i = 0; i < 5; i++) {
      clock.advance(SampleRate.SPS_80.periodMicros());
      untilReady(clock, hx);
      settled = hx.read(Gain.B32).value();
      if (i < 4) {
        assertThat(settled).as("conversion %d after the change", i + 1).isEqualTo(FakeHx711.UNSETTLED);
      }
    }
    assertThat(settled).isEqualTo(-22);
  }

  @Test
  void clockHighPast60usPowersDownAndLowWakesAtA128() {
    FakeHx711 chip = new FakeHx711(clock, SampleRate.SPS_10);
    Hx711 hx = new Hx711(chip);
    untilReady(clock, hx);
    hx.read(Gain.B32);
    clock.advance(SampleRate.SPS_10.periodMicros());
    assertThat(chip.gainInEffect()).isEqualTo(Gain.B32);

    hx.powerDown();
    assertThat(chip.poweredDown()).isTrue();
    assertThat(hx.isReady()).as("no data while powered down").isFalse();
    clock.advance(SampleRate.SPS_10.periodMicros() * 3);
    assertThat(hx.isReady()).isFalse();

    hx.powerUp();
    assertThat(chip.poweredDown()).isFalse();
    assertThat(chip.wakeUps()).isEqualTo(1);
    assertThat(chip.gainInEffect()).isEqualTo(Gain.A128);
  }

  @Test
  void aStretchedClockPulseMakesTheReadUnclean() {
    FakeHx711 chip = new FakeHx711(clock, SampleRate.SPS_10).queue(Gain.A128, 1234);
    Hx711Pins preempted = new Hx711Pins() {
      int rising;

      @Override
      public boolean dataHigh() {
        return chip.dataHigh();
      }

      @Override
      public void clock(boolean high) {
        chip.clock(high);
        if (high && ++rising == 10) {
          clock.advance(55); // the thread lost the CPU mid-pulse
        }
      }

      @Override
      public void delayMicros(int us) {
        chip.delayMicros(us);
      }

      @Override
      public long micros() {
        return chip.micros();
      }
    };
    Hx711 hx = new Hx711(preempted);
    clock.advance(SampleRate.SPS_10.settlingMicros());
    untilReady(clock, hx);

    assertThat(hx.read(Gain.A128).clean()).isFalse();
  }

  @Test
  void aChipThatPowersDownMidReadLeavesDoutHighAndTheReadUnclean() {
    FakeHx711 chip = new FakeHx711(clock, SampleRate.SPS_10);
    Hx711 hx = new Hx711(new Hx711Pins() {
      int rising;

      @Override
      public boolean dataHigh() {
        return chip.dataHigh();
      }

      @Override
      public void clock(boolean high) {
        chip.clock(high);
        if (high && ++rising == 5) {
          clock.advance(80);
        }
      }

      @Override
      public void delayMicros(int us) {
        chip.delayMicros(us);
      }

      @Override
      public long micros() {
        return chip.micros();
      }
    });
    untilReady(clock, hx);
    assertThat(hx.read(Gain.A128).clean()).isFalse();
    assertThat(chip.powerDowns()).isEqualTo(1);
  }
}
