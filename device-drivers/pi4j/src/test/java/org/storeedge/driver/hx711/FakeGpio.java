package org.storeedge.driver.hx711;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A board of {@link FakeHx711} chips by pin pair, on one {@link FakeClock}. {@link #pause}
 * advances virtual time and gives up the CPU briefly (so a test's driver thread does not spin a
 * core), which makes virtual time run some hundred times faster than wall time.
 */
final class FakeGpio implements Hx711Gpio {
  private final FakeClock clock;
  private final Map<String, FakeHx711> chips = new LinkedHashMap<>();
  final AtomicInteger opened = new AtomicInteger();
  final AtomicInteger closed = new AtomicInteger();

  FakeGpio(FakeClock clock) {
    this.clock = clock;
  }

  FakeHx711 add(int dataPin, int clockPin, SampleRate rate) {
    FakeHx711 chip = new FakeHx711(clock, rate);
    chips.put(dataPin + "/" + clockPin, chip);
    return chip;
  }

  FakeClock clock() {
    return clock;
  }

  @Override
  public Hx711Pins pins(int dataPin, int clockPin) {
    FakeHx711 chip = chips.get(dataPin + "/" + clockPin);
    if (chip == null) {
      throw new IllegalStateException("no chip wired to GPIO " + dataPin + "/" + clockPin);
    }
    opened.incrementAndGet();
    return chip;
  }

  @Override
  public long micros() {
    return clock.micros();
  }

  @Override
  public void pause(long us) {
    clock.advance(us);
    LockSupport.parkNanos(20_000);
  }

  @Override
  public void close() {
    closed.incrementAndGet();
  }
}
