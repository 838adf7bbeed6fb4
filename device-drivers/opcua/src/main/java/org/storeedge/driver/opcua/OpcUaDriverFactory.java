package org.storeedge.driver.opcua;

import java.util.ArrayList;
import java.util.List;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.DriverFactory;
import org.storeedge.core.device.ReadingSink;
import org.storeedge.core.device.WeightDriver;
import org.storeedge.core.time.Scheduler;

/** Drivers for {@code type: opcua} devices: shelf controllers read over OPC UA. */
public final class OpcUaDriverFactory implements DriverFactory {
  public static final String TYPE = "opcua";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<ConfigProblem> validate(StoreConfig.Device device) {
    List<ConfigProblem> problems = new ArrayList<>();
    OpcUaSettings.parse(device.id(), device.settings(), problems);
    return problems;
  }

  /**
   * @throws IllegalArgumentException when the settings are invalid (they are validated at config
   *     load, so this means the config was not loaded through the registry)
   */
  @Override
  public WeightDriver create(StoreConfig.Device device, List<StoreConfig.Lane> lanes, Scheduler scheduler, ReadingSink sink) {
    return createDriver(device, lanes, scheduler, sink);
  }

  /** As {@link #create}, typed, for callers that want {@link OpcUaWeightDriver#stats()}. */
  public OpcUaWeightDriver createDriver(StoreConfig.Device device, List<StoreConfig.Lane> lanes, Scheduler scheduler, ReadingSink sink) {
    List<ConfigProblem> problems = new ArrayList<>();
    OpcUaSettings settings = OpcUaSettings.parse(device.id(), device.settings(), problems)
        .orElseThrow(() -> new IllegalArgumentException("device " + device.id() + ": invalid settings: "
            + problems.stream().map(ConfigProblem::toString).toList()));
    return new OpcUaWeightDriver(device.id(), settings, lanes, scheduler, sink);
  }
}
