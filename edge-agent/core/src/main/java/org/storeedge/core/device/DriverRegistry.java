package org.storeedge.core.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;

/** The driver factories known to this agent, by type. Built once and passed in; never static. */
public final class DriverRegistry implements DeviceSettingsValidator {
  private final Map<String, DriverFactory> byType = new TreeMap<>();

  public DriverRegistry(List<DriverFactory> factories) {
    for (DriverFactory f : factories) {
      if (byType.putIfAbsent(f.type(), f) != null) {
        throw new IllegalArgumentException("two driver factories for type " + f.type());
      }
    }
  }

  /** The factories on the class path (META-INF/services) plus {@code extra}. */
  public static DriverRegistry discover(List<DriverFactory> extra) {
    List<DriverFactory> all = new ArrayList<>(extra);
    ServiceLoader.load(DriverFactory.class).forEach(f -> {
      if (all.stream().noneMatch(e -> e.type().equals(f.type()))) {
        all.add(f);
      }
    });
    return new DriverRegistry(all);
  }

  public Optional<DriverFactory> factory(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  public List<String> types() {
    return List.copyOf(byType.keySet());
  }

  @Override
  public List<ConfigProblem> validate(StoreConfig.Device device) {
    DriverFactory f = byType.get(device.type());
    if (f == null) {
      return List.of(new ConfigProblem(device.location(),
          device.settings().pathOf("").replaceFirst("\\.settings\\.$", ".type"),
          "unknown driver type '" + device.type() + "' (known: " + String.join(", ", byType.keySet()) + ")"));
    }
    return f.validate(device);
  }

  @Override
  public List<ConfigProblem> validateInStore(StoreConfig.Device device, StoreConfig store) {
    DriverFactory f = byType.get(device.type());
    return f == null ? List.of() : f.validateInStore(device, store);
  }
}
