package org.storeedge.driver.hx711;

/**
 * The GPIO of one gateway as an HX711 device needs it: pin pairs for its chips and the pacing of
 * its reading loop. Opened in {@code start()}, closed in {@code stop()}; used from the device's
 * reading thread only (and {@link #close} after that thread ended).
 */
public interface Hx711Gpio extends AutoCloseable {
  /**
   * The pins of the chip on {@code dataPin}/{@code clockPin} (BCM numbers). Asking twice for the
   * same pair returns the same pins (two channels of one chip).
   *
   * @throws IllegalStateException when the pins cannot be opened (busy, no such GPIO)
   */
  Hx711Pins pins(int dataPin, int clockPin);

  /** A monotonic microsecond count, the same clock as the pins'. */
  long micros();

  /** Gives up the CPU for about {@code us} microseconds (between polls of DOUT). */
  void pause(long us);

  /** Releases every pin; never throws. */
  @Override
  void close();
}
