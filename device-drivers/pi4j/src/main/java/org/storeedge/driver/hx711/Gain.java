package org.storeedge.driver.hx711;

/**
 * Input channel and gain of an HX711 conversion. Selected for the <em>next</em> conversion by the
 * number of clock pulses that follow the 24 data bits: A128 = 25 pulses, B32 = 26, A64 = 27.
 * After power-up or reset the chip converts A128.
 */
public enum Gain {
  A128(1, 'A'),
  B32(2, 'B'),
  A64(3, 'A');

  private final int extraPulses;
  private final char input;

  Gain(int extraPulses, char input) {
    this.extraPulses = extraPulses;
    this.input = input;
  }

  /** Pulses after the 24 data bits that select this gain for the next conversion (1..3). */
  public int extraPulses() {
    return extraPulses;
  }

  /** All clock pulses of one read that selects this gain next (25..27). */
  public int totalPulses() {
    return Hx711.DATA_BITS + extraPulses;
  }

  /** The analog input, 'A' or 'B'. */
  public char input() {
    return input;
  }

  /** The gain a read of {@code totalPulses} pulses selects; null when the count selects none. */
  public static Gain ofTotalPulses(int totalPulses) {
    for (Gain g : values()) {
      if (g.totalPulses() == totalPulses) {
        return g;
      }
    }
    return null;
  }
}
