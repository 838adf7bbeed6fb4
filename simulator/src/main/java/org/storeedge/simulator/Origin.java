package org.storeedge.simulator;

import java.util.Map;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.Location;

/**
 * Where a scenario element was written, so checks that run after parsing (stock, holdings) can
 * still point at the line. Programmatic scenarios use {@link #of(String)} with unknown locations.
 *
 * @param keyPath dotted path of the element, e.g. {@code shoppers[0].actions[2]}
 * @param location location of the element itself
 * @param keys location of each of its keys, when known
 */
public record Origin(String keyPath, Location location, Map<String, Location> keys) {
  public Origin {
    keys = Map.copyOf(keys);
  }

  public static Origin of(String keyPath) {
    return new Origin(keyPath, Location.unknown("<program>"), Map.of());
  }

  /** A problem at {@code key} of this element (or the element itself when {@code key} is empty). */
  public ConfigProblem problem(String key, String message) {
    if (key.isEmpty()) {
      return new ConfigProblem(location, keyPath, message);
    }
    return new ConfigProblem(keys.getOrDefault(key, location), keyPath + "." + key, message);
  }
}
