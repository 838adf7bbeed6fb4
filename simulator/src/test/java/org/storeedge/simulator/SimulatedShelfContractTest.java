package org.storeedge.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.Location;
import org.storeedge.config.Settings;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.core.device.DriverFactory;
import org.storeedge.core.device.ReadingSink;
import org.storeedge.core.device.ReadingStatus;
import org.storeedge.core.device.WeightDriver;
import org.storeedge.core.device.WeightDriverContract;
import org.storeedge.core.time.VirtualScheduler;

/**
 * The simulated shelf honours the same contract as the hardware drivers. Its virtual time is driven
 * by one ticker thread (the only thread that runs the scheduler); start/stop are posted to it.
 */
class SimulatedShelfContractTest extends WeightDriverContract {
  private static StoreConfig demo() {
    try {
      return new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(Path.of("../config/examples/demo-store.yaml"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private final StoreConfig config = demo();

  @Override
  protected Rig newRig(ReadingSink sink) {
    VirtualScheduler vs = new VirtualScheduler(Instant.parse("2026-01-05T09:00:00Z"));
    SimulatedStore store = new SimulatedStore(config, Scenario.scripted(1, List.of()), vs);
    StoreConfig.Device device = config.device("cells-a").orElseThrow();
    List<StoreConfig.Lane> lanes = config.shelves().get(0).lanes();
    WeightDriver inner = store.driverFactory().create(device, lanes, vs, sink);
    AtomicBoolean running = new AtomicBoolean(true);
    Thread ticker = new Thread(() -> {
      while (running.get()) {
        vs.advance(Duration.ofMillis(50));
        Thread.onSpinWait();
      }
    }, "virtual-ticker");
    ticker.setDaemon(true);
    ticker.start();
    WeightDriver onTicker = new WeightDriver() {
      @Override
      public String deviceId() {
        return inner.deviceId();
      }

      @Override
      public void start() throws Exception {
        onTickerThread(vs, () -> {
          try {
            inner.start();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
      }

      @Override
      public void stop() {
        onTickerThread(vs, inner::stop);
      }
    };
    Set<String> ids = new LinkedHashSet<>();
    lanes.forEach(l -> ids.add(l.id()));
    return new Rig() {
      @Override
      public WeightDriver driver() {
        return onTicker;
      }

      @Override
      public Set<String> laneIds() {
        return ids;
      }

      @Override
      public String laneToBreak() {
        return lanes.get(1).id();
      }

      @Override
      public void breakLane(String laneId) {
        store.failLane(laneId, ReadingStatus.DISCONNECTED);
      }

      @Override
      public void healLane(String laneId) {
        store.healLane(laneId);
      }

      @Override
      public void close() throws Exception {
        running.set(false);
        ticker.join(10_000);
      }
    };
  }

  private static void onTickerThread(VirtualScheduler vs, Runnable r) {
    CountDownLatch done = new CountDownLatch(1);
    vs.execute(() -> {
      try {
        r.run();
      } finally {
        done.countDown();
      }
    });
    try {
      if (!done.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the virtual ticker did not run the task");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  protected DriverFactory factory() {
    VirtualScheduler vs = new VirtualScheduler(Instant.parse("2026-01-05T09:00:00Z"));
    return new SimulatedStore(config, Scenario.scripted(1, List.of()), vs).driverFactory();
  }

  @Override
  protected StoreConfig.Device validDevice() {
    return config.device("cells-a").orElseThrow();
  }

  @Override
  protected StoreConfig.Device invalidDevice() {
    Location loc = new Location("store.yaml", 40, 5);
    Settings bad = new Settings("devices[0].settings", loc, Map.of("sampleRateHz", 0, "fullScaleGrams", -5),
        Map.of("sampleRateHz", new Location("store.yaml", 40, 20), "fullScaleGrams", new Location("store.yaml", 40, 40)));
    return new StoreConfig.Device("cells-x", SimulatedShelfDriverFactory.TYPE, bad, loc);
  }
}
