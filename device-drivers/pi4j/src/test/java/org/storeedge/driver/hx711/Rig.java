package org.storeedge.driver.hx711;

import java.util.ArrayList;
import java.util.List;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.time.SystemScheduler;

/** A fake board, its clock as the driver's time source, lanes and settings: one device under test. */
final class Rig implements AutoCloseable {
  final FakeClock clock = new FakeClock();
  final FakeGpio gpio = new FakeGpio(clock);
  final SystemScheduler scheduler = new SystemScheduler(clock.instantSource(), "test-scheduler");
  final RecordingSink sink = new RecordingSink();
  final List<Hx711Settings.Channel> channels = new ArrayList<>();
  final List<StoreConfig.Lane> lanes = new ArrayList<>();
  final SampleRate rate;
  private Hx711Driver driver;

  Rig(SampleRate rate) {
    this.rate = rate;
  }

  /** A lane reading {@code channel} (its own id) on the chip at data/clock, adding that chip once. */
  FakeHx711 lane(String laneId, int dataPin, int clockPin, Gain gain, double offset, double scale) {
    String channel = "ch-" + laneId;
    channels.add(new Hx711Settings.Channel(channel, dataPin, clockPin, gain, offset, scale));
    lanes.add(new StoreConfig.Lane(laneId, "SKU-" + laneId, 10, 10, channel, new StoreConfig.Position(0, 0)));
    return chip(dataPin, clockPin);
  }

  FakeHx711 lane(String laneId, int dataPin, int clockPin, Gain gain) {
    return lane(laneId, dataPin, clockPin, gain, 0, 1);
  }

  FakeHx711 chip(int dataPin, int clockPin) {
    try {
      return (FakeHx711) gpio.pins(dataPin, clockPin);
    } catch (IllegalStateException e) {
      return gpio.add(dataPin, clockPin, rate);
    } finally {
      gpio.opened.set(0);
    }
  }

  Hx711Settings settings() {
    return Hx711Settings.of(rate, channels);
  }

  Hx711Driver driver(Hx711Settings settings) {
    driver = new Hx711Driver("bank-1", settings, lanes, () -> gpio, scheduler, sink);
    return driver;
  }

  Hx711Driver driver() {
    return driver(settings());
  }

  @Override
  public void close() {
    if (driver != null) {
      driver.stop();
    }
    scheduler.close();
  }
}
