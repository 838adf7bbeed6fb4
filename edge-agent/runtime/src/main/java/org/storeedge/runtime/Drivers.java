package org.storeedge.runtime;

import java.util.ArrayList;
import java.util.List;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.DriverFactory;
import org.storeedge.core.device.DriverRegistry;
import org.storeedge.core.device.ReadingSink;
import org.storeedge.core.device.WeightDriver;
import org.storeedge.core.time.Scheduler;
import org.storeedge.simulator.SimulatedShelfDriverFactory;

/** The driver types this agent knows, for validating a store file. */
final class Drivers {
  private Drivers() {}

  /**
   * Hardware drivers found on the class path plus the simulator's type, which validates here but
   * only runs inside a simulation (it needs the simulated store behind it).
   */
  static DriverRegistry registry() {
    List<DriverFactory> extra = new ArrayList<>();
    extra.add(new DriverFactory() {
      @Override
      public String type() {
        return SimulatedShelfDriverFactory.TYPE;
      }

      @Override
      public List<ConfigProblem> validate(StoreConfig.Device device) {
        return SimulatedShelfDriverFactory.validateSettings(device);
      }

      @Override
      public List<ConfigProblem> validateInStore(StoreConfig.Device device, StoreConfig store) {
        return SimulatedShelfDriverFactory.validateLoad(device, store);
      }

      @Override
      public WeightDriver create(StoreConfig.Device device, List<StoreConfig.Lane> lanes, Scheduler scheduler,
          ReadingSink sink) {
        throw new IllegalStateException("simulated devices run only inside 'storeedge demo' or 'storeedge simulate'");
      }
    });
    return DriverRegistry.discover(extra);
  }
}
