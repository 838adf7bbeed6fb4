package org.storeedge.core.device;

import org.storeedge.core.lifecycle.Lifecycle;

/**
 * A device that reads the load of one or more lanes: an HX711 bank, an OPC UA shelf controller, a
 * simulated shelf. Created by a {@link DriverFactory}; delivers to the sink given at creation
 * from {@link #start} until {@link #stop}. A lost device is reported as readings with a fault
 * status, and the driver keeps trying to recover on its own.
 */
public interface WeightDriver extends Lifecycle {
  /** The device id from the store config. */
  String deviceId();
}
