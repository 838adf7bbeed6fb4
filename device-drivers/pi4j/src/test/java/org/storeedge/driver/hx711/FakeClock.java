package org.storeedge.driver.hx711;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Virtual microseconds shared by the fake chips of one board: it moves only when the code under
 * test delays or pauses, so timing is exact and independent of the machine's load.
 */
final class FakeClock {
  private final AtomicLong micros = new AtomicLong();
  private final Instant origin;

  FakeClock(Instant origin) {
    this.origin = origin;
  }

  FakeClock() {
    this(Instant.parse("2025-03-01T08:00:00Z"));
  }

  long micros() {
    return micros.get();
  }

  void advance(long us) {
    micros.addAndGet(us);
  }

  /** Wall time on this clock, for the driver's Scheduler. */
  InstantSource instantSource() {
    return () -> origin.plusNanos(micros.get() * 1_000L);
  }
}
