package org.storeedge.driver.hx711;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;

/**
 * One HX711's DOUT and PD_SCK as Pi4J digital I/O. Timing is the hardware boundary: the
 * microsecond delay is a busy wait on {@link System#nanoTime()} (sleeping cannot hit 1 us), which
 * is why it lives here and not in the chip logic. Pi4J errors surface as its runtime exceptions.
 */
public final class Pi4jHx711Pins implements Hx711Pins {
  private final DigitalInput dout;
  private final DigitalOutput sck;

  public Pi4jHx711Pins(DigitalInput dout, DigitalOutput sck) {
    this.dout = dout;
    this.sck = sck;
  }

  @Override
  public boolean dataHigh() {
    return dout.state() == DigitalState.HIGH;
  }

  @Override
  public void clock(boolean high) {
    sck.state(high ? DigitalState.HIGH : DigitalState.LOW);
  }

  @Override
  public void delayMicros(int us) {
    long end = System.nanoTime() + us * 1_000L;
    while (System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }

  @Override
  public long micros() {
    return System.nanoTime() / 1_000L;
  }

  public DigitalInput dout() {
    return dout;
  }

  public DigitalOutput sck() {
    return sck;
  }
}
