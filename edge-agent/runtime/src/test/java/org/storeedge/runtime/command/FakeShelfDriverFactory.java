package org.storeedge.runtime.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.DriverFactory;
import org.storeedge.core.device.ReadingSink;
import org.storeedge.core.device.WeightDriver;
import org.storeedge.core.device.WeightReading;
import org.storeedge.core.time.Scheduler;

/**
 * A wall-time weight device for tests of the gateway runtime: every 50 ms each lane reads its
 * initial stock times the product's unit weight, times the device setting {@code scale} (default
 * 1). With {@code silent: true} it starts but never delivers (a device that is dead after an update).
 * With {@code ratedGrams}, a lane whose full stock (capacity x unit weight) reaches it is a problem
 * of the store file (as a device type that knows its load would report).
 */
final class FakeShelfDriverFactory implements DriverFactory {
  static final String TYPE = "fake-shelf";
  private final Map<String, Double> unitWeights;

  FakeShelfDriverFactory(Map<String, Double> unitWeightsBySku) {
    this.unitWeights = Map.copyOf(unitWeightsBySku);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<ConfigProblem> validate(StoreConfig.Device device) {
    List<ConfigProblem> p = new ArrayList<>();
    for (String k : device.settings().values().keySet()) {
      if (!k.equals("scale") && !k.equals("silent") && !k.equals("ratedGrams")) {
        p.add(device.settings().problem(k, "unknown setting"));
      }
    }
    return p;
  }

  @Override
  public List<ConfigProblem> validateInStore(StoreConfig.Device device, StoreConfig store) {
    java.util.Optional<Double> rated = device.settings().get("ratedGrams").map(v -> ((Number) v).doubleValue());
    List<ConfigProblem> p = new ArrayList<>();
    rated.ifPresent(r -> store.shelves().stream().filter(sh -> sh.device().equals(device.id()))
        .flatMap(sh -> sh.lanes().stream())
        .filter(l -> l.capacity() * unitWeights.getOrDefault(l.sku(), 0.0) >= r)
        .forEach(l -> p.add(device.settings().problem("ratedGrams", "lane " + l.id() + " full reaches the rating"))));
    return p;
  }

  @Override
  public WeightDriver create(StoreConfig.Device device, List<StoreConfig.Lane> lanes, Scheduler scheduler,
      ReadingSink sink) {
    double scale = device.settings().get("scale").map(v -> ((Number) v).doubleValue()).orElse(1.0);
    boolean silent = device.settings().get("silent").map(v -> (Boolean) v).orElse(false);
    return new WeightDriver() {
      private Scheduler.Cancellable task;

      @Override
      public String deviceId() {
        return device.id();
      }

      @Override
      public void start() {
        if (silent) {
          return;
        }
        task = scheduler.scheduleAtFixedRate(Duration.ZERO, Duration.ofMillis(50), () -> {
          long now = scheduler.millis();
          for (StoreConfig.Lane l : lanes) {
            double g = l.initialStock() * unitWeights.getOrDefault(l.sku(), 100.0) * scale;
            sink.accept(WeightReading.ok(l.id(), now, g + ((now / 50) % 3 - 1) * 0.2));
          }
        });
      }

      @Override
      public void stop() {
        if (task != null) {
          task.cancel();
        }
      }

      @Override
      public String name() {
        return "fake-shelf " + device.id();
      }
    };
  }
}
