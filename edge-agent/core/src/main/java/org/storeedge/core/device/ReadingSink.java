package org.storeedge.core.device;

/**
 * Where a driver delivers readings. Called on the driver's thread; implementations hand off
 * without blocking (drop and count when they cannot keep up).
 */
@FunctionalInterface
public interface ReadingSink {
  void accept(WeightReading reading);
}
