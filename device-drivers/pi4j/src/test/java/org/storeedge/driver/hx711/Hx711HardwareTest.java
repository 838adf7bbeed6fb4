package org.storeedge.driver.hx711;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.storeedge.core.device.ReadingStatus;
import org.storeedge.core.device.WeightReading;
import org.storeedge.core.time.SystemScheduler;

/**
 * A real HX711 on a Raspberry Pi class gateway, opt-in: {@code mvn -pl device-drivers/pi4j test
 * -Dgroups=hardware -DexcludedGroups=none} with HX711_DATA_PIN and HX711_CLOCK_PIN (BCM) set, and
 * optionally HX711_PROVIDER (default gpiod) and HX711_RATE (10 or 80, as wired). Aborts when the
 * pins are not given. The cell must be connected; any load will do.
 */
@Tag("hardware")
class Hx711HardwareTest {

  @Test
  void aLiveCellDeliversOkReadingsThatCarryNoise() throws Exception {
    String data = System.getenv("HX711_DATA_PIN");
    String clock = System.getenv("HX711_CLOCK_PIN");
    assumeTrue(data != null && clock != null, "HX711_DATA_PIN and HX711_CLOCK_PIN not set: no chip to test");
    String provider = System.getenv().getOrDefault("HX711_PROVIDER", "gpiod");
    int rate = Integer.parseInt(System.getenv().getOrDefault("HX711_RATE", "10"));

    var device = TestDevices.device("bench", TestDevices.map("provider", provider, "sampleRateHz", rate,
        "channels", TestDevices.map("0", TestDevices.map("dataPin", Integer.parseInt(data), "clockPin", Integer.parseInt(clock)))));
    assertThat(new Hx711DriverFactory().validate(device)).isEmpty();
    RecordingSink sink = new RecordingSink(1_000);
    try (SystemScheduler scheduler = new SystemScheduler("hw-scheduler")) {
      Hx711Driver d = (Hx711Driver) new Hx711DriverFactory().create(device, TestDevices.lanes("hw", "0"), scheduler, sink);
      d.start();
      List<WeightReading> got;
      try {
        got = sink.await("hw", "20 readings", l -> l.size() >= 20);
      } finally {
        d.stop();
      }
      assertThat(got).allMatch(r -> r.status() == ReadingStatus.OK);
      assertThat(got.stream().map(WeightReading::grams).distinct().count()).as("distinct raw values (noise)").isGreaterThan(1);
      System.out.println("HX711 on " + data + "/" + clock + ": " + d.stats() + ", first " + got.subList(0, 5));
    }
  }
}
