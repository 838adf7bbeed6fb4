package org.storeedge.config;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a store YAML file into a validated {@link StoreConfig}. Every problem of the file is
 * collected and thrown at once in a {@link ConfigException}; unknown keys are problems.
 */
public final class StoreConfigLoader {
  private final DeviceSettingsValidator deviceValidator;

  public StoreConfigLoader(DeviceSettingsValidator deviceValidator) {
    this.deviceValidator = deviceValidator;
  }

  /** Loads {@code file}. Relative paths inside the file resolve against the file's directory. */
  public StoreConfig load(Path file) throws IOException, ConfigException {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Parses YAML text. {@code sourceName} is used in problem locations; relative paths inside
   * resolve against {@code baseDir}.
   */
  public StoreConfig parse(String sourceName, String yaml, Path baseDir) throws ConfigException {
    throw new UnsupportedOperationException("not yet");
  }
}
