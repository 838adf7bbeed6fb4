package org.storeedge.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A device driver's own settings: scalar values (String, Number, Boolean), lists and nested maps
 * as parsed from YAML, each top-level key with its location, so a driver factory can report
 * problems as precisely as the core config does.
 */
public final class Settings {
  private final Map<String, Object> values;
  private final Map<String, Location> locations;
  private final String keyPath;
  private final Location location;

  public Settings(String keyPath, Location location, Map<String, Object> values, Map<String, Location> locations) {
    this.keyPath = keyPath;
    this.location = location;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.locations = Collections.unmodifiableMap(new LinkedHashMap<>(locations));
  }

  public static Settings empty(String keyPath, Location location) {
    return new Settings(keyPath, location, Map.of(), Map.of());
  }

  public Map<String, Object> values() {
    return values;
  }

  public Optional<Object> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** Location of {@code key}'s value, or of the settings block when the key is absent. */
  public Location locationOf(String key) {
    return locations.getOrDefault(key, location);
  }

  /** Dotted key path of {@code key}, e.g. {@code devices[1].settings.sampleRate}. */
  public String pathOf(String key) {
    return keyPath + "." + key;
  }

  public ConfigProblem problem(String key, String message) {
    return new ConfigProblem(locationOf(key), pathOf(key), message);
  }

  @Override
  public String toString() {
    return "Settings" + values;
  }
}
