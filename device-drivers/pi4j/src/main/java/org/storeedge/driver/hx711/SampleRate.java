package org.storeedge.driver.hx711;

/**
 * Output data rate of an HX711, set in hardware by its RATE pin (low = 10 SPS, high = 80 SPS);
 * the driver only needs to know it for its timing. Settling times are the datasheet's: after
 * power-up, reset or a change of input/gain the first conversions are not valid.
 */
public enum SampleRate {
  SPS_10(10, 400_000),
  SPS_80(80, 50_000);

  private final int hz;
  private final long settlingMicros;

  SampleRate(int hz, long settlingMicros) {
    this.hz = hz;
    this.settlingMicros = settlingMicros;
  }

  public int hz() {
    return hz;
  }

  /** Time between conversions, microseconds. */
  public long periodMicros() {
    return 1_000_000L / hz;
  }

  /** Output settling time after wake-up or a gain change, microseconds. */
  public long settlingMicros() {
    return settlingMicros;
  }

  /** Conversions to discard after wake-up or a gain change (4 at both rates). */
  public int settlingConversions() {
    return (int) ((settlingMicros + periodMicros() - 1) / periodMicros());
  }

  /** The rate for {@code hz}, or null when the chip has no such rate. */
  public static SampleRate ofHz(int hz) {
    for (SampleRate r : values()) {
      if (r.hz == hz) {
        return r;
      }
    }
    return null;
  }
}
