package org.storeedge.driver.hx711;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.storeedge.config.Location;
import org.storeedge.config.Settings;
import org.storeedge.config.StoreConfig;

/** hx711 devices as the config loader would hand them over, with every key located. */
final class TestDevices {
  static final String FILE = "store.yaml";

  private TestDevices() {}

  /** A device whose settings are {@code values}; top-level key k sits on line 10 + its index. */
  static StoreConfig.Device device(String id, Map<String, Object> values) {
    Map<String, Location> locations = new LinkedHashMap<>();
    int line = 10;
    for (String key : values.keySet()) {
      locations.put(key, new Location(FILE, line++, 7));
    }
    Settings s = new Settings("devices[0].settings", new Location(FILE, 9, 5), values, locations);
    return new StoreConfig.Device(id, Hx711DriverFactory.TYPE, s, new Location(FILE, 8, 5));
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Two chips, one of them with both inputs in use. */
  static StoreConfig.Device valid() {
    return device("bank-1", map(
        "provider", "gpiod",
        "sampleRateHz", 80,
        "stuckSamples", 40,
        "channels", map(
            "0", map("dataPin", 5, "clockPin", 6, "gain", "A128", "offset", 8123, "scale", 420.5),
            "1", map("dataPin", 5, "clockPin", 6, "gain", "B32", "offset", -310.0, "scale", 105.2),
            "2", map("dataPin", 13, "clockPin", 19))));
  }

  static StoreConfig.Lane lane(String id, String channel) {
    return new StoreConfig.Lane(id, "SKU-" + id, 10, 10, channel, new StoreConfig.Position(0, 0));
  }

  static List<StoreConfig.Lane> lanes(String... idChannel) {
    List<StoreConfig.Lane> l = new java.util.ArrayList<>();
    for (int i = 0; i < idChannel.length; i += 2) {
      l.add(lane(idChannel[i], idChannel[i + 1]));
    }
    return l;
  }
}
