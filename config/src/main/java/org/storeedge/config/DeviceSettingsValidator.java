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
   * fit its rated load); run once the file is otherwise valid. None by default.
   */
  default List<ConfigProblem> validateInStore(StoreConfig.Device device, StoreConfig store) {
    return List.of();
  }

  /** Accepts every device; for tools that only read the common part of the file. */
  DeviceSettingsValidator ACCEPT_ALL = d -> List.of();
}
