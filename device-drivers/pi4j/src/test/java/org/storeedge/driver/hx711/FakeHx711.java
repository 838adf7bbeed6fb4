package org.storeedge.driver.hx711;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.function.IntSupplier;

/**
 * An HX711 that answers like the chip, through the same {@link Hx711Pins} seam, on a
 * {@link FakeClock}. Conversions complete every sample period; DOUT goes low when one is ready;
 * each rising clock edge shifts out the next bit, MSB first; the 25th pulse pulls DOUT high and
 * the pulse count (25/26/27) selects the gain of the conversions that follow. Clock high for more
 * than 60 us powers it down; low again wakes it, reset to A128. Conversions completing within the
 * settling time after a wake or a gain change carry {@link #UNSETTLED} instead of the input.
 *
 * <p>Faults on demand: {@link #silent} (DOUT stays high, clock ignored: unplugged), {@link #stuck}
 * (same value forever), {@link #saturated} (full-scale code). Values come from a queue per gain,
 * then from a per-gain source (default: a level with a little deterministic noise).
 *
 * <p>Thread-safe: the driver's thread drives the pins, the test thread steers and inspects.
 */
final class FakeHx711 implements Hx711Pins {
  /** What a conversion in the settling window yields: no valid reading may carry it. */
  static final int UNSETTLED = 0x3A5A5A;

  private final FakeClock clock;
  private final SampleRate rate;
  private final Map<Gain, Deque<Integer>> queued = new EnumMap<>(Gain.class);
  private final Map<Gain, IntSupplier> sources = new EnumMap<>(Gain.class);

  // chip state
  private boolean poweredDown;
  private boolean clockHigh;
  private long clockHighSince;
  private long lastEdge;
  private Gain gainInEffect = Gain.A128;
  private long nextReadyAt;
  private long settleUntil;
  private boolean available;
  private int latched;
  private int pulses;
  private int shifting;

  // faults
  private boolean silent;
  private Integer stuckValue;
  private Integer saturatedValue;

  // observations
  private int lastReadPulses;
  private long powerDowns;
  private long wakeUps;
  private long conversions;
  private long unsettledConversions;
  private long maxHighMicros;
  private long readsCompleted;
  private Gain lastSelectedGain;

  FakeHx711(FakeClock clock, SampleRate rate) {
    this.clock = clock;
    this.rate = rate;
    Random noise = new Random(42);
    sources.put(Gain.A128, () -> 200_000 + noise.nextInt(41) - 20);
    sources.put(Gain.A64, () -> 100_000 + noise.nextInt(21) - 10);
    sources.put(Gain.B32, () -> -50_000 + noise.nextInt(11) - 5);
    wake(clock.micros());
  }

  // ---- steering (test thread) ----

  /** Values for conversions at {@code gain}, used before its source. */
  synchronized FakeHx711 queue(Gain gain, int... values) {
    Deque<Integer> q = queued.computeIfAbsent(gain, g -> new ArrayDeque<>());
    for (int v : values) {
      q.add(v);
    }
    return this;
  }

  synchronized FakeHx711 source(Gain gain, IntSupplier values) {
    sources.put(gain, values);
    return this;
  }

  /** Unplugged (true): DOUT reads high, clock edges do nothing. */
  synchronized void silent(boolean on) {
    silent = on;
  }

  /** Every conversion yields {@code value} (null: back to normal). */
  synchronized void stuck(Integer value) {
    stuckValue = value;
  }

  /** Every conversion yields the positive (true) or negative full-scale code (null: normal). */
  synchronized void saturated(Boolean positive) {
    saturatedValue = positive == null ? null : positive ? Hx711.MAX_CODE : Hx711.MIN_CODE;
  }

  // ---- observations ----

  synchronized int lastReadPulses() {
    return lastReadPulses;
  }

  /** Gain selected by the last completed read (before it takes effect). */
  synchronized Gain lastSelectedGain() {
    advance();
    return lastSelectedGain;
  }

  synchronized Gain gainInEffect() {
    advance();
    return gainInEffect;
  }

  synchronized long powerDowns() {
    advance();
    return powerDowns;
  }

  /** Wake-ups after a power-down (not counting creation). */
  synchronized long wakeUps() {
    advance();
    return wakeUps;
  }

  synchronized long conversions() {
    advance();
    return conversions;
  }

  synchronized long unsettledConversions() {
    advance();
    return unsettledConversions;
  }

  /** Longest clock high phase of a data or gain pulse (power-down holds excluded), us. */
  synchronized long maxHighMicros() {
    return maxHighMicros;
  }

  synchronized long readsCompleted() {
    advance();
    return readsCompleted;
  }

  synchronized boolean poweredDown() {
    advance();
    return poweredDown;
  }

  // ---- the pins ----

  @Override
  public synchronized boolean dataHigh() {
    advance();
    if (silent || poweredDown) {
      return true;
    }
    if (pulses >= 1 && pulses <= Hx711.DATA_BITS) {
      return ((shifting >> (Hx711.DATA_BITS - pulses)) & 1) == 1;
    }
    if (pulses > Hx711.DATA_BITS) {
      return true;
    }
    return !available;
  }

  @Override
  public synchronized void clock(boolean high) {
    advance();
    long now = clock.micros();
    if (high == clockHigh) {
      return;
    }
    clockHigh = high;
    if (high) {
      clockHighSince = now;
      if (silent || poweredDown) {
        return;
      }
      if (pulses == 0 && !available) {
        return; // a pulse while nothing is ready: ignored
      }
      if (pulses == 0) {
        shifting = latched;
        available = false;
      }
      pulses++;
    } else {
      lastEdge = now;
      if (!poweredDown && pulses > 0) {
        maxHighMicros = Math.max(maxHighMicros, now - clockHighSince);
      }
      if (poweredDown) {
        if (!silent) {
          wakeUps++;
          wake(now);
        }
        return;
      }
      if (pulses > Hx711.DATA_BITS) {
        lastReadPulses = pulses;
      }
    }
  }

  @Override
  public void delayMicros(int us) {
    clock.advance(us);
  }

  @Override
  public long micros() {
    return clock.micros();
  }

  // ---- chip behaviour ----

  private void wake(long now) {
    poweredDown = false;
    gainInEffect = Gain.A128;
    nextReadyAt = now + rate.periodMicros();
    settleUntil = now + rate.settlingMicros();
    available = false;
    pulses = 0;
  }

  /** Brings the chip up to the clock: power-down by a long high clock, completed conversions. */
  private void advance() {
    long now = clock.micros();
    if (clockHigh && !poweredDown && !silent && now - clockHighSince > Hx711.POWER_DOWN_MICROS) {
      poweredDown = true;
      powerDowns++;
      pulses = 0;
      available = false;
    }
    if (poweredDown) {
      nextReadyAt = Math.max(nextReadyAt, now);
      return;
    }
    while (now >= nextReadyAt) {
      long completedAt = nextReadyAt;
      nextReadyAt += rate.periodMicros();
      if (pulses >= 1 && pulses <= Hx711.DATA_BITS) {
        continue; // a read in progress keeps its data; this conversion is lost
      }
      if (pulses > Hx711.DATA_BITS) {
        finishRead();
      }
      conversions++;
      if (completedAt <= settleUntil) {
        latched = Hx711.encode(UNSETTLED);
        unsettledConversions++;
      } else {
        latched = Hx711.encode(produce(gainInEffect));
      }
      available = !silent;
    }
  }

  /** The pulses after the 24 data bits choose the gain of the next conversions. */
  private void finishRead() {
    Gain selected = Gain.ofTotalPulses(pulses);
    readsCompleted++;
    pulses = 0;
    if (selected == null) {
      return; // more than 27 pulses: the datasheet defines nothing; keep the gain
    }
    lastSelectedGain = selected;
    if (selected != gainInEffect) {
      gainInEffect = selected;
      settleUntil = lastEdge + rate.settlingMicros();
    }
  }

  private int produce(Gain gain) {
    if (saturatedValue != null) {
      return saturatedValue;
    }
    if (stuckValue != null) {
      return stuckValue;
    }
    Deque<Integer> q = queued.get(gain);
    if (q != null && !q.isEmpty()) {
      return q.poll();
    }
    return sources.get(gain).getAsInt();
  }
}
