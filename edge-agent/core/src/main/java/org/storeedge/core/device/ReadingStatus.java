package org.storeedge.core.device;

/** Quality of one reading. Anything but {@link #OK} is a device fault for that lane. */
public enum ReadingStatus {
  OK,
  /** The device did not answer (timeout, lost connection, no data-ready). */
  DISCONNECTED,
  /** The same raw value for far longer than noise allows. */
  STUCK,
  /** The ADC is at its range limit. */
  SATURATED,
  /** NaN, infinite, or otherwise not a number of grams. */
  INVALID;

  public boolean ok() {
    return this == OK;
  }
}
