package org.storeedge.driver.hx711;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.DriverFactory;
import org.storeedge.core.device.ReadingSink;
import org.storeedge.core.device.WeightDriver;
import org.storeedge.core.device.WeightDriverContract;
import org.storeedge.core.time.SystemScheduler;

/** The shared driver contract, on fake HX711 chips: two chips, one of them reading A and B. */
class Hx711WeightDriverContractTest extends WeightDriverContract {

  @Override
  protected Rig newRig(ReadingSink sink) {
    FakeClock clock = new FakeClock();
    FakeGpio gpio = new FakeGpio(clock);
    FakeHx711 shared = gpio.add(5, 6, SampleRate.SPS_80);
    FakeHx711 own = gpio.add(13, 19, SampleRate.SPS_80);
    Hx711Settings settings = Hx711Settings.of(SampleRate.SPS_80, java.util.List.of(
        new Hx711Settings.Channel("0", 5, 6, Gain.A128, 0, 1),
        new Hx711Settings.Channel("1", 5, 6, Gain.B32, 0, 1),
        new Hx711Settings.Channel("2", 13, 19, Gain.A128, 0, 1)));
    SystemScheduler scheduler = new SystemScheduler(clock.instantSource(), "contract-scheduler");
    Hx711Driver driver = new Hx711Driver("bank-1", settings, TestDevices.lanes("a1", "0", "b1", "1", "c1", "2"),
        () -> gpio, scheduler, sink);
    Map<String, FakeHx711> chipOf = Map.of("a1", shared, "b1", shared, "c1", own);
    return new Rig() {
      @Override
      public WeightDriver driver() {
        return driver;
      }

      @Override
      public Set<String> laneIds() {
        return new LinkedHashSet<>(java.util.List.of("a1", "b1", "c1"));
      }

      @Override
      public String laneToBreak() {
        return "c1";
      }

      @Override
      public void breakLane(String laneId) {
        chipOf.get(laneId).silent(true);
      }

      @Override
      public void healLane(String laneId) {
        chipOf.get(laneId).silent(false);
      }

      @Override
      public void close() {
        scheduler.close();
      }
    };
  }

  @Override
  protected DriverFactory factory() {
    return new Hx711DriverFactory();
  }

  @Override
  protected StoreConfig.Device validDevice() {
    return TestDevices.valid();
  }

  @Override
  protected StoreConfig.Device invalidDevice() {
    return TestDevices.device("bank-2", TestDevices.map(
        "sampleRateHz", 20,
        "channels", TestDevices.map("0", TestDevices.map("dataPin", 5, "clockPin", 5, "gain", "A256"))));
  }
}
