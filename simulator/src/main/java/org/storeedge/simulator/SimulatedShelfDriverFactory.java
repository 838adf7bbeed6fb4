package org.storeedge.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.Settings;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.DriverFactory;
import org.storeedge.core.device.ReadingSink;
import org.storeedge.core.device.ReadingStatus;
import org.storeedge.core.device.WeightDriver;
import org.storeedge.core.device.WeightReading;
import org.storeedge.core.time.Scheduler;

/**
 * Drivers of type {@code simulated-shelf}, reading the lanes of one {@link SimulatedStore}.
 * Obtain it from {@link SimulatedStore#driverFactory()}. To validate a config before a store
 * exists, use {@link #validateSettings}.
 *
 * <p>Settings: {@code sampleRateHz} a whole number in 1..1000 (an HX711 runs at 10 or 80; other
 * plates at e.g. 60), default 10; {@code fullScaleGrams} &gt; 0, the rated load of each lane's
 * cell, default 20000. A reading at or above full scale is reported as {@code SATURATED}.
 */
public final class SimulatedShelfDriverFactory implements DriverFactory {
  public static final String TYPE = "simulated-shelf";
  public static final int DEFAULT_SAMPLE_RATE_HZ = 10;
  private static final Set<String> KEYS = Set.of("sampleRateHz", "fullScaleGrams");

  private final SimulatedStore store;

  SimulatedShelfDriverFactory(SimulatedStore store) {
    this.store = store;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<ConfigProblem> validate(StoreConfig.Device device) {
    return validateSettings(device);
  }

  /** The settings checks of this type, usable without a store. */
  public static List<ConfigProblem> validateSettings(StoreConfig.Device device) {
    Settings s = device.settings();
    List<ConfigProblem> problems = new ArrayList<>();
    for (String key : s.values().keySet()) {
      if (!KEYS.contains(key)) {
        problems.add(s.problem(key, "unknown setting for a " + TYPE + " (known: " + String.join(", ", new TreeSet<>(KEYS)) + ")"));
      }
    }
    s.get("sampleRateHz").ifPresent(v -> {
      if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 1 || n.doubleValue() > 1000) {
        problems.add(s.problem("sampleRateHz", "must be a whole number of samples per second in 1..1000, e.g. 10 or 80 (got: " + v + ")"));
      }
    });
    s.get("fullScaleGrams").ifPresent(v -> {
      if (!(v instanceof Number n) || !(n.doubleValue() > 0) || Double.isInfinite(n.doubleValue())) {
        problems.add(s.problem("fullScaleGrams", "must be a number of grams > 0 (got: " + v + ")"));
      }
    });
    return problems;
  }

  static int sampleRateOf(StoreConfig.Device device) {
    return device.settings().get("sampleRateHz").filter(Number.class::isInstance).map(n -> ((Number) n).intValue())
        .filter(v -> v >= 1 && v <= 1000).orElse(DEFAULT_SAMPLE_RATE_HZ);
  }

  /**
   * A driver sampling {@code lanes} (all must be lanes of the store) at the device's rate on
   * {@code scheduler}, which must be the store's own virtual scheduler.
   */
  @Override
  public WeightDriver create(StoreConfig.Device device, List<StoreConfig.Lane> lanes, Scheduler scheduler, ReadingSink sink) {
    List<SimulatedLane> models = new ArrayList<>();
    for (StoreConfig.Lane l : lanes) {
      SimulatedLane m = store.lane(l.id());
      if (m == null) {
        throw new IllegalArgumentException("lane " + l.id() + " of device " + device.id() + " is not in the simulated store");
      }
      models.add(m);
    }
    return new SimulatedShelfDriver(device.id(), models, sampleRateOf(device), scheduler, sink, store::laneFault);
  }

  /** Samples its lanes every 1/rate s of virtual time, first one period after start. */
  private static final class SimulatedShelfDriver implements WeightDriver {
    private final String deviceId;
    private final List<SimulatedLane> lanes;
    private final Duration period;
    private final Scheduler scheduler;
    private final ReadingSink sink;
    private final java.util.function.Function<String, ReadingStatus> faults;
    private Scheduler.Cancellable task;

    SimulatedShelfDriver(String deviceId, List<SimulatedLane> lanes, int rateHz, Scheduler scheduler, ReadingSink sink,
        java.util.function.Function<String, ReadingStatus> faults) {
      this.faults = faults;
      this.deviceId = deviceId;
      this.lanes = List.copyOf(lanes);
      this.period = Duration.ofNanos(1_000_000_000L / rateHz);
      this.scheduler = scheduler;
      this.sink = sink;
    }

    @Override
    public String deviceId() {
      return deviceId;
    }

    @Override
    public String name() {
      return "simulated-shelf " + deviceId;
    }

    @Override
    public synchronized void start() {
      if (task == null) {
        task = scheduler.scheduleAtFixedRate(period, period, this::sampleAll);
      }
    }

    @Override
    public synchronized void stop() {
      if (task != null) {
        task.cancel();
        task = null;
      }
    }

    private void sampleAll() {
      long nanos = scheduler.instant().getEpochSecond() * 1_000_000_000L + scheduler.instant().getNano();
      long millis = scheduler.millis();
      for (SimulatedLane lane : lanes) {
        ReadingStatus fault = faults.apply(lane.id());
        if (fault != null) {
          sink.accept(new WeightReading(lane.id(), millis, Double.NaN, fault));
          continue;
        }
        double grams = lane.sample(nanos);
        if (grams >= lane.fullScaleGrams()) {
          sink.accept(new WeightReading(lane.id(), millis, lane.fullScaleGrams(), ReadingStatus.SATURATED));
        } else {
          sink.accept(WeightReading.ok(lane.id(), millis, grams));
        }
      }
    }
  }
}
