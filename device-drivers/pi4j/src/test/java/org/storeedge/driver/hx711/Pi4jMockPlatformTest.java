package org.storeedge.driver.hx711;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.storeedge.core.device.ReadingStatus;
import org.storeedge.core.time.SystemScheduler;

/**
 * The Pi4J wiring on Pi4J's own mock platform: the chip logic of {@link FakeHx711} sits behind
 * the mock pins, following every PD_SCK edge the driver writes and setting the mock DOUT level.
 */
class Pi4jMockPlatformTest {
  private Context pi4j;

  @BeforeEach
  void mockContext() {
    pi4j = Pi4J.newContextBuilder()
        .add(new MockPlatform())
        .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
        .build();
  }

  @AfterEach
  void shutdown() {
    pi4j.shutdown();
  }

  /** Wires {@code chip} behind the mock pins: each clock edge goes to the chip, DOUT follows it. */
  private static void attach(Pi4jHx711Pins pins, FakeHx711 chip) {
    MockDigitalInput dout = (MockDigitalInput) pins.dout();
    pins.sck().addListener(e -> {
      chip.clock(e.state() == DigitalState.HIGH);
      syncDout(dout, chip);
    });
    syncDout(dout, chip);
  }

  private static void syncDout(MockDigitalInput dout, FakeHx711 chip) {
    dout.mockState(chip.dataHigh() ? DigitalState.HIGH : DigitalState.LOW);
  }

  @ParameterizedTest
  @EnumSource(Gain.class)
  void valuesAndGainPulsesTravelThroughPi4jMockPins(Gain gain) {
    Pi4jHx711Gpio gpio = new Pi4jHx711Gpio(pi4j, "mock");
    Pi4jHx711Pins pins = (Pi4jHx711Pins) gpio.pins(5, 6);
    assertThat(pins.dout()).isInstanceOf(MockDigitalInput.class);
    assertThat(pins.sck()).isInstanceOf(MockDigitalOutput.class);
    assertThat(pins.sck().state()).as("PD_SCK starts low: chip awake").isEqualTo(DigitalState.LOW);
    assertThat(gpio.pins(5, 6)).as("same pair, same pins").isSameAs(pins);

    FakeClock clock = new FakeClock();
    List<Integer> values = List.of(0, 1, -1, 0x7FFFFE, -0x7FFFFF, 123_456, -654_321, Hx711.MAX_CODE, Hx711.MIN_CODE);
    FakeHx711 chip = new FakeHx711(clock, SampleRate.SPS_10).queue(Gain.A128, 4711);
    values.forEach(v -> chip.queue(gain, v));
    attach(pins, chip);
    Hx711 hx = new Hx711(pins);
    MockDigitalInput dout = (MockDigitalInput) pins.dout();

    clock.advance(SampleRate.SPS_10.settlingMicros());
    // The first settled conversion is at A128 (the chip's reset gain); the read selects `gain`.
    clock.advance(SampleRate.SPS_10.periodMicros());
    syncDout(dout, chip);
    assertThat(hx.isReady()).as("DOUT low on the mock input").isTrue();
    assertThat(hx.read(gain).value()).isEqualTo(4711);
    int next = 0;
    int settleLeft = gain == Gain.A128 ? 0 : SampleRate.SPS_10.settlingConversions();
    for (int conversion = 1; next < values.size(); conversion++) {
      clock.advance(SampleRate.SPS_10.periodMicros());
      syncDout(dout, chip);
      assertThat(hx.isReady()).as("DOUT low on the mock input").isTrue();
      int v = hx.read(gain).value();
      assertThat(hx.isReady()).as("DOUT high after the gain pulses").isFalse();
      assertThat(chip.lastReadPulses()).isEqualTo(gain.totalPulses());
      if (settleLeft > 0) {
        assertThat(v).as("settling conversion %d", conversion).isEqualTo(FakeHx711.UNSETTLED);
        settleLeft--;
      } else {
        assertThat(v).as("conversion %d", conversion).isEqualTo(values.get(next++));
      }
    }
    assertThat(chip.maxHighMicros()).isLessThan(Hx711.MAX_CLOCK_HIGH_MICROS);
    gpio.close();
  }

  @Test
  void powerDownAndWakeGoThroughTheMockClockPin() {
    Pi4jHx711Gpio gpio = new Pi4jHx711Gpio(pi4j, "mock");
    Pi4jHx711Pins pins = (Pi4jHx711Pins) gpio.pins(17, 27);
    FakeClock clock = new FakeClock();
    FakeHx711 chip = new FakeHx711(clock, SampleRate.SPS_80);
    attach(pins, chip);
    Hx711 hx = new Hx711(pins);

    hx.powerDown();
    clock.advance(Hx711.POWER_DOWN_MICROS + 1); // the fake chip keeps its own time
    assertThat(chip.poweredDown()).isTrue();
    assertThat(pins.sck().state()).isEqualTo(DigitalState.HIGH);
    hx.powerUp();
    assertThat(chip.wakeUps()).isEqualTo(1);

    gpio.close();
    assertThat(pins.sck().state()).as("chips powered down on close").isEqualTo(DigitalState.HIGH);
  }

  @Test
  void anUnknownProviderFailsWithItsName() {
    Pi4jHx711Gpio gpio = new Pi4jHx711Gpio(pi4j, "nosuch");
    assertThatThrownBy(() -> gpio.pins(5, 6)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nosuch").hasMessageContaining("5");
    assertThatThrownBy(() -> Pi4jHx711Gpio.open("nosuch")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pi4j-plugin-nosuch");
  }

  /**
   * The factory's own path: a Pi4J context created in start() with the mock provider, pins opened
   * through it, the reading thread clocking the mock PD_SCK. Nothing drives the mock DOUT, so it
   * stays low, as on a chip whose DOUT is shorted: it looks ready but is never released after the
   * gain pulses, so no read is clean and the lane is reported DISCONNECTED, without spinning.
   */
  @Test
  void theFactoryDriverRunsOnTheMockProviderAndReportsADoutStuckLowAsDisconnected() throws Exception {
    var device = TestDevices.device("bank-m", TestDevices.map("provider", "mock", "sampleRateHz", 80,
        "channels", TestDevices.map("0", TestDevices.map("dataPin", 5, "clockPin", 6, "offset", 100, "scale", 2))));
    RecordingSink sink = new RecordingSink(200);
    try (SystemScheduler scheduler = new SystemScheduler("mock-scheduler")) {
      Hx711Driver d = (Hx711Driver) new Hx711DriverFactory().create(device, TestDevices.lanes("m1", "0"), scheduler, sink);
      d.start();
      try {
        var got = sink.await("m1", "2 DISCONNECTED", l -> l.size() >= 2);
        assertThat(got).allMatch(r -> r.status() == ReadingStatus.DISCONNECTED);
        assertThat(d.stats().glitches()).isPositive();
      } finally {
        d.stop();
      }
      assertThat(d.stats().delivered()).isEqualTo(sink.total());
      assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("hx711-bank-m"));
    }
  }
}
