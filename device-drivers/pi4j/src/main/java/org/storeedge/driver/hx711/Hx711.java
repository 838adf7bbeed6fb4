package org.storeedge.driver.hx711;

/**
 * One HX711 24-bit load-cell ADC, bit-banged through {@link Hx711Pins}. Stateless apart from its
 * pins: which gain is in effect and what to discard is the caller's business. Not thread-safe;
 * called from one reading thread.
 *
 * <p>Protocol (datasheet): DOUT low = a conversion is ready. Each PD_SCK pulse shifts out one bit,
 * MSB first, 24 bits of two's complement; 1..3 further pulses select input and gain of the next
 * conversion, and the 25th pulse pulls DOUT high. PD_SCK high for more than 60 us powers the chip
 * down; low again wakes it with a reset to A128. A clock high phase must stay under 50 us, so each
 * pulse is ~1 us high and a read whose high phase was stretched (the thread was preempted) is
 * reported as not clean rather than trusted.
 */
public final class Hx711 {
  public static final int DATA_BITS = 24;
  /** Largest positive code; a reading at this value is saturated (input above range). */
  public static final int MAX_CODE = 0x7FFFFF;
  /** Smallest code (0x800000 as 24-bit); a reading at this value is saturated (below range). */
  public static final int MIN_CODE = -0x800000;
  /** Longest PD_SCK high phase the datasheet allows during a read, microseconds. */
  public static final int MAX_CLOCK_HIGH_MICROS = 50;
  /** PD_SCK high for longer than this powers the chip down, microseconds. */
  public static final int POWER_DOWN_MICROS = 60;
  /** How long {@link #powerDown} holds PD_SCK high: well past 60 us. */
  static final int POWER_DOWN_HOLD_MICROS = 100;

  /** One read: the signed value and whether the pulse train was clean. */
  public record Read(int value, boolean clean) {}

  private final Hx711Pins pins;

  public Hx711(Hx711Pins pins) {
    this.pins = pins;
  }

  /** DOUT is low: a conversion waits to be read. */
  public boolean isReady() {
    return !pins.dataHigh();
  }

  /**
   * Shifts out the ready conversion and selects {@code next} for the conversion after it. Call only
   * when {@link #isReady()}. Not clean when a high phase exceeded 50 us or DOUT was not pulled high
   * by the 25th pulse (missed pulses, reset mid-read); such a value must be discarded.
   */
  public Read read(Gain next) {
    int raw = 0;
    boolean clean = true;
    for (int i = 0; i < DATA_BITS; i++) {
      long t0 = pins.micros();
      pins.clock(true);
      pins.delayMicros(1);
      boolean bit = pins.dataHigh();
      pins.clock(false);
      clean &= pins.micros() - t0 <= MAX_CLOCK_HIGH_MICROS;
      raw = (raw << 1) | (bit ? 1 : 0);
      pins.delayMicros(1);
    }
    for (int i = 0; i < next.extraPulses(); i++) {
      long t0 = pins.micros();
      pins.clock(true);
      pins.delayMicros(1);
      pins.clock(false);
      clean &= pins.micros() - t0 <= MAX_CLOCK_HIGH_MICROS;
      pins.delayMicros(1);
    }
    clean &= pins.dataHigh();
    return new Read(decode(raw), clean);
  }

  /** Holds PD_SCK high past 60 us: the chip powers down and stays down until {@link #powerUp}. */
  public void powerDown() {
    pins.clock(true);
    pins.delayMicros(POWER_DOWN_HOLD_MICROS);
  }

  /** PD_SCK low: wakes a powered-down chip (reset to A128, output settling follows). */
  public void powerUp() {
    pins.clock(false);
  }

  /** Sign-extends a 24-bit two's complement code (only the low 24 bits of {@code raw24} count). */
  public static int decode(int raw24) {
    return (raw24 << 8) >> 8;
  }

  /** The 24-bit code of {@code value} (inverse of {@link #decode}). */
  public static int encode(int value) {
    return value & 0xFFFFFF;
  }

  /** The ADC is at either end of its range: the input is out of range, the value is meaningless. */
  public static boolean isSaturated(int value) {
    return value == MAX_CODE || value == MIN_CODE;
  }
}
