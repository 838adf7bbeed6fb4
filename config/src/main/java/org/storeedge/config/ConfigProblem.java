package org.storeedge.config;

/**
 * One problem in a config file, printed as {@code file:line:col: key.path: message}.
 *
 * @param keyPath dotted path with list indices, e.g. {@code shelves[0].lanes[2].capacity}
 */
public record ConfigProblem(Location location, String keyPath, String message) {
  @Override
  public String toString() {
    return location + ": " + keyPath + ": " + message;
  }
}
