package org.storeedge.driver.hx711;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DecodeTest {
  @Test
  void encodeThenDecodeIsIdentityOverTheWhole24BitRange() {
    for (int value = -0x800000; value <= 0x7FFFFF; value++) {
      int code = Hx711.encode(value);
      if (code < 0 || code > 0xFFFFFF || Hx711.decode(code) != value) {
        throw new AssertionError("round trip fails for " + value + " (code " + Integer.toHexString(code) + ")");
      }
    }
  }

  @Test
  void decodeIgnoresBitsAbove24() {
    Random rnd = new Random(24);
    for (int i = 0; i < 100_000; i++) {
      int code = rnd.nextInt(0x1000000);
      int junk = rnd.nextInt();
      assertThat(Hx711.decode((junk & 0xFF000000) | code)).isEqualTo(Hx711.decode(code));
    }
  }

  @Test
  void theChipShiftsOutAnyValueMsbFirstAndTheDriverDecodesIt() {
    Random rnd = new Random(711);
    IntStream values = IntStream.concat(IntStream.of(0, 1, -1, 0x7FFFFF, -0x800000, 0x555555, -0x2AAAAB),
        IntStream.generate(() -> rnd.nextInt(0x1000000) - 0x800000).limit(300));
    values.forEach(value -> {
      FakeClock clock = new FakeClock();
      FakeHx711 chip = new FakeHx711(clock, SampleRate.SPS_80).queue(Gain.A128, value);
      Hx711 hx = new Hx711(chip);
      clock.advance(SampleRate.SPS_80.settlingMicros() + SampleRate.SPS_80.periodMicros());

      assertThat(hx.isReady()).isTrue();
      Hx711.Read r = hx.read(Gain.A128);

      assertThat(r.clean()).isTrue();
      assertThat(r.value()).as("value %d", value).isEqualTo(value);
      assertThat(hx.isReady()).as("DOUT high after the 25th pulse").isFalse();
    });
  }

  @Test
  void edgeCodes() {
    assertThat(Hx711.decode(0x000000)).isZero();
    assertThat(Hx711.decode(0x000001)).isEqualTo(1);
    assertThat(Hx711.decode(0xFFFFFF)).isEqualTo(-1);
    assertThat(Hx711.decode(0x7FFFFF)).isEqualTo(8_388_607);
    assertThat(Hx711.decode(0x800000)).isEqualTo(-8_388_608);
    assertThat(Hx711.decode(0x800001)).isEqualTo(-8_388_607);
    assertThat(Hx711.decode(0x400000)).isEqualTo(4_194_304);
    assertThat(Hx711.decode(0xC00000)).isEqualTo(-4_194_304);
  }

  @Test
  void onlyTheEndsOfTheRangeAreSaturated() {
    assertThat(Hx711.isSaturated(Hx711.decode(0x7FFFFF))).isTrue();
    assertThat(Hx711.isSaturated(Hx711.decode(0x800000))).isTrue();
    assertThat(Hx711.isSaturated(0x7FFFFE)).isFalse();
    assertThat(Hx711.isSaturated(-0x7FFFFF)).isFalse();
    assertThat(Hx711.isSaturated(0)).isFalse();
  }
}
