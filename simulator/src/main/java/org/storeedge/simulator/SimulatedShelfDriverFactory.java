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
 * cell, by default the smallest standard rating (20, 50, 100, 200, 500 kg, ...) that holds the
 * heaviest of its lanes full with a quarter to spare, as a technician would choose the cells. A
 * reading at or above full scale is reported as {@code SATURATED}; a rating given that a lane's
 * full stock would reach is a store-file problem ({@link #validateLoad}).
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

  @Override
  public List<ConfigProblem> validateInStore(StoreConfig.Device device, StoreConfig config) {
    return validateLoad(device, config);
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

  /** Standard load-cell ratings, grams, from which a cell is chosen when the store file gives none. */
  private static final double[] RATINGS_GRAMS = {20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000};
  /** A chosen cell holds its lane's full stock with this much to spare. */
  private static final double HEADROOM = 1.25;

  /**
   * The heaviest a lane gets when full: capacity units of its product at 3 sigma above the mean
   * unit weight; 0 for a product the catalog lacks.
   */
  public static double fullLaneGrams(StoreConfig.Lane lane, StoreConfig store) {
    return store.product(lane.sku())
        .map(p -> Math.max(lane.capacity(), lane.initialStock()) * (p.unitWeightGrams() + 3 * p.weightSpreadGrams()))
        .orElse(0.0);
  }

  /** The rated load of the cells under {@code device}'s lanes: given, else chosen for the heaviest lane. */
  public static double fullScaleOf(StoreConfig.Device device, StoreConfig store) {
    java.util.Optional<Double> given = device.settings().get("fullScaleGrams").filter(Number.class::isInstance)
        .map(n -> ((Number) n).doubleValue()).filter(v -> v > 0);
    if (given.isPresent()) {
      return given.get();
    }
    double heaviest = 0;
    for (StoreConfig.Shelf sh : store.shelves()) {
      if (sh.device().equals(device.id())) {
        for (StoreConfig.Lane l : sh.lanes()) {
          heaviest = Math.max(heaviest, fullLaneGrams(l, store));
        }
      }
    }
    for (double r : RATINGS_GRAMS) {
      if (r >= heaviest * HEADROOM) {
        return r;
      }
    }
    return heaviest * HEADROOM;
  }

  /**
   * A {@code fullScaleGrams} given that a lane on this device would reach when full: the lane
   * would read {@code SATURATED} (a device fault on every receipt near it) until enough is taken.
   */
  public static List<ConfigProblem> validateLoad(StoreConfig.Device device, StoreConfig store) {
    Settings s = device.settings();
    if (s.get("fullScaleGrams").filter(Number.class::isInstance).isEmpty()) {
      return List.of();
    }
    double fullScale = fullScaleOf(device, store);
    List<String> over = new ArrayList<>();
    for (StoreConfig.Shelf sh : store.shelves()) {
      if (!sh.device().equals(device.id())) {
        continue;
      }
      for (StoreConfig.Lane l : sh.lanes()) {
        double full = fullLaneGrams(l, store);
        if (full >= fullScale) {
          StoreConfig.Product p = store.product(l.sku()).orElseThrow();
          over.add(String.format(java.util.Locale.ROOT, "lane %s (%d x %s of %s g: up to %.0f g)", l.id(),
              Math.max(l.capacity(), l.initialStock()), p.sku(), YamlTree.fmt(p.unitWeightGrams()), full));
        }
      }
    }
    if (over.isEmpty()) {
      return List.of();
    }
    return List.of(s.problem("fullScaleGrams", "the cells saturate at " + YamlTree.fmt(fullScale) + " g but "
        + String.join(", ", over) + (over.size() == 1 ? " reaches" : " reach") + " that when full; give cells rated "
        + "for the load or a smaller capacity"));
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
