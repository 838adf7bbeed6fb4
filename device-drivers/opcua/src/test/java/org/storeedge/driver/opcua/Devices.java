package org.storeedge.driver.opcua;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.storeedge.config.Location;
import org.storeedge.config.Settings;
import org.storeedge.config.StoreConfig;

/** Store-config pieces for tests, with locations as the config loader gives them. */
final class Devices {
  static final String FILE = "store.yaml";
  static final List<String> VARIABLES = List.of("Shelf1.Lane1.WeightGrams", "Shelf1.Lane2.WeightGrams", "Shelf1.Lane3.WeightGrams");
  static final List<String> LANES = List.of("l1", "l2", "l3");

  private Devices() {}

  /** {@code settings} as device {@code id} at devices[0], each key on its own line from line 10. */
  static StoreConfig.Device device(String id, Map<String, Object> settings) {
    Map<String, Location> locations = new LinkedHashMap<>();
    int line = 10;
    for (String key : settings.keySet()) {
      locations.put(key, new Location(FILE, line++, 7));
    }
    Settings s = new Settings("devices[0].settings", new Location(FILE, 9, 5), settings, locations);
    return new StoreConfig.Device(id, OpcUaDriverFactory.TYPE, s, new Location(FILE, 7, 5));
  }

  /** Lanes l1..l3 on channels lane1..lane3. */
  static List<StoreConfig.Lane> lanes() {
    return List.of(
        new StoreConfig.Lane("l1", "SKU-1", 10, 10, "lane1", new StoreConfig.Position(1, 1)),
        new StoreConfig.Lane("l2", "SKU-2", 10, 10, "lane2", new StoreConfig.Position(1, 2)),
        new StoreConfig.Lane("l3", "SKU-3", 10, 10, "lane3", new StoreConfig.Position(1, 3)));
  }

  /** lane1..lane3 to the test variables in namespace {@code ns}. */
  static Map<String, Object> nodes(int ns) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < VARIABLES.size(); i++) {
      m.put("lane" + (i + 1), "ns=" + ns + ";s=" + VARIABLES.get(i));
    }
    return m;
  }

  static Map<String, Object> settings(String endpoint, Object... more) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("endpoint", endpoint);
    m.put("samplingIntervalMs", 50);
    m.put("publishingIntervalMs", 100);
    m.put("nodes", nodes(2));
    for (int i = 0; i < more.length; i += 2) {
      if (more[i + 1] == null) {
        m.remove((String) more[i]);
      } else {
        m.put((String) more[i], more[i + 1]);
      }
    }
    return m;
  }
}
