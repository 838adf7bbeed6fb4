package org.storeedge.core.device;

import java.util.List;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.time.Scheduler;

/**
 * Makes drivers of one {@code type}. Found once at start-up (ServiceLoader or by hand) into a
 * {@link DriverRegistry}.
 */
public interface DriverFactory {
  /** The {@code type:} value in the store config this factory serves, e.g. {@code hx711}. */
  String type();

  /** Checks the device's settings at config load; an empty list means valid. */
  List<ConfigProblem> validate(StoreConfig.Device device);

  /** Checks that need the rest of the store file (lanes, catalog); see {@link org.storeedge.config.DeviceSettingsValidator#validateInStore}. */
  default List<ConfigProblem> validateInStore(StoreConfig.Device device, StoreConfig store) {
    return List.of();
  }

  /**
   * Creates a driver for {@code device}, reading the given lanes (those whose shelf names this
   * device). Does no I/O; the driver connects in {@code start()}.
   */
  WeightDriver create(StoreConfig.Device device, List<StoreConfig.Lane> lanes, Scheduler scheduler, ReadingSink sink);
}
