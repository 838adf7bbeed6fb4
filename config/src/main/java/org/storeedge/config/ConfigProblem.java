package org.storeedge.config;

/**
 * One problem in a config file, printed as {@code file:line:col: key.path: message}; problems of
 * the file as a whole (syntax, missing file) have an empty key path and print without it.
 *
 * @param keyPath dotted path with list indices, e.g. {@code shelves[0].lanes[2].capacity}
 */
public record ConfigProblem(Location location, String keyPath, String message) {
  @Override
  public String toString() {
    return keyPath == null || keyPath.isEmpty() ? location + ": " + message : location + ": " + keyPath + ": " + message;
  }
}
