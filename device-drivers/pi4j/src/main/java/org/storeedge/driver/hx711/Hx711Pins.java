package org.storeedge.driver.hx711;

/**
 * The two wires of one HX711 as the chip driver sees them: DOUT (data, input) and PD_SCK (clock,
 * output), plus the microsecond timing bit-banging needs. Used by one thread only (the device's
 * reading thread); implementations need not be thread-safe.
 */
public interface Hx711Pins {
  /** Level of DOUT: high while no conversion is ready, low = ready; during a read, the data bit. */
  boolean dataHigh();

  /** Drives PD_SCK. Held high for more than 60 us, the chip powers down. */
  void clock(boolean high);

  /** Waits about {@code us} microseconds without yielding the CPU; returns late rather than early. */
  void delayMicros(int us);

  /** A monotonic microsecond count (arbitrary origin), for pulse-length checks and timeouts. */
  long micros();
}
