package org.storeedge.runtime;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storeedge.config.ConfigException;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;

/**
 * The store file of a command that starts from it ({@code run}, {@code simulate}, {@code score}):
 * checked with the drivers this agent knows, its warnings logged once at WARN, and the command
 * goes on with the store. Problems are thrown, warnings included, for the command to print
 * ({@link ConfigException#lines()}).
 */
final class StoreFile {
  private static final Logger LOG = LoggerFactory.getLogger(StoreFile.class);

  private StoreFile() {}

  static StoreConfig load(Path file) throws IOException, ConfigException {
    StoreConfigLoader loader = new StoreConfigLoader(Drivers.registry());
    StoreConfig config = loader.load(file);
    loader.warnings().forEach(w -> LOG.warn("{}", w));
    return config;
  }
}
