package org.storeedge.driver.hx711;

import java.util.List;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.DriverFactory;
import org.storeedge.core.device.ReadingSink;
import org.storeedge.core.device.WeightDriver;
import org.storeedge.core.time.Scheduler;

/**
 * Driver type {@code hx711}: HX711 load-cell amplifiers on the gateway's GPIO through Pi4J. See
 * {@link Hx711Settings} for the settings and {@link Hx711Driver} for behaviour. Found through
 * {@code META-INF/services}.
 */
public final class Hx711DriverFactory implements DriverFactory {
  public static final String TYPE = "hx711";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<ConfigProblem> validate(StoreConfig.Device device) {
    return Hx711Settings.parse(device.settings()).problems();
  }

  /**
   * @throws IllegalArgumentException when the settings are invalid (validate first) or a lane names
   *     a channel the settings do not define
   */
  @Override
  public WeightDriver create(StoreConfig.Device device, List<StoreConfig.Lane> lanes, Scheduler scheduler, ReadingSink sink) {
    Hx711Settings.Parsed parsed = Hx711Settings.parse(device.settings());
    if (parsed.settings() == null) {
      throw new IllegalArgumentException("device " + device.id() + " has invalid hx711 settings: " + parsed.problems());
    }
    Hx711Settings s = parsed.settings();
    return new Hx711Driver(device.id(), s, lanes, () -> Pi4jHx711Gpio.open(s.provider()), scheduler, sink);
  }
}
