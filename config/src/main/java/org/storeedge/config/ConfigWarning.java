package org.storeedge.config;

/**
 * Something in a config file that is most likely a mistake but leaves the store usable (the agent
 * works with it, worse), printed as {@code file:line:col: key.path: warning: message}; it never
 * stops a store from loading. Warnings of the file as a whole have an empty key path and print
 * without it.
 *
 * @param keyPath dotted path with list indices, e.g. {@code gates[1].position}
 */
public record ConfigWarning(Location location, String keyPath, String message) {
  @Override
  public String toString() {
    return keyPath == null || keyPath.isEmpty() ? location + ": warning: " + message
        : location + ": " + keyPath + ": warning: " + message;
  }
}
