package org.storeedge.config;

import java.util.List;

/**
 * Checks one device's driver-specific settings at load so its problems are reported with every
 * other problem of the file. The runtime passes one backed by its driver registry; an unknown
 * {@code type} is itself a problem.
 */
@FunctionalInterface
public interface DeviceSettingsValidator {
  List<ConfigProblem> validate(StoreConfig.Device device);

  /**
   * Checks of {@code device} that need the rest of the store file (e.g. whether the lanes on it
   * fit its rated load). None by default. Run for every device whose own settings passed
   * {@link #validate}, also when the file has other problems, so that its problems are reported
   * with theirs: {@code store} then holds only what could be read soundly (the valid products,
   * and each shelf of a known device with the lanes whose product is known and whose capacity,
   * stock, channel and position are usable; sections with problems may be null). An exception
   * thrown on such a partial store is ignored: the check runs again once the other problems are
   * fixed.
   */
  default List<ConfigProblem> validateInStore(StoreConfig.Device device, StoreConfig store) {
    return List.of();
  }

  /** Accepts every device; for tools that only read the common part of the file. */
  DeviceSettingsValidator ACCEPT_ALL = d -> List.of();
}
