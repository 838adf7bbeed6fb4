package org.storeedge.simulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.storeedge.config.Location;
import org.storeedge.config.Settings;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfig.Device;
import org.storeedge.config.StoreConfig.Gate;
import org.storeedge.config.StoreConfig.Lane;
import org.storeedge.config.StoreConfig.Position;
import org.storeedge.config.StoreConfig.Product;
import org.storeedge.config.StoreConfig.Shelf;

/** Store configs built by hand, mirroring config/examples/demo-store.yaml. */
final class TestStores {
  private TestStores() {}

  static final List<Product> CATALOG = List.of(
      product("COLA-330", 352.0, 3.0), product("ENRG-250", 276.0, 2.5), product("WATR-500", 521.0, 4.0),
      product("OJ-1000", 1068.0, 8.0), product("CHOC-100", 106.0, 2.0), product("CANDY-52", 55.0, 1.5),
      product("CRISP-150", 163.0, 4.0), product("GRNLA-40", 43.0, 1.2), product("NOODL-75", 86.0, 2.0),
      product("YOGH-500", 538.0, 6.0), product("SANDW-HAM", 212.0, 10.0), product("APPLE-1", 182.0, 22.0),
      product("SHAMP-250", 291.0, 5.0), product("TPST-75", 112.0, 3.0), product("MINTS-40", 47.0, 1.0),
      product("TISSU-10", 94.0, 2.5));

  private static final String[][] LANES = {
      {"a1", "COLA-330", "12"}, {"a2", "ENRG-250", "12"}, {"a3", "WATR-500", "10"}, {"a4", "OJ-1000", "6"},
      {"b1", "CHOC-100", "20"}, {"b2", "CANDY-52", "30"}, {"b3", "CRISP-150", "10"}, {"b4", "GRNLA-40", "30"},
      {"c1", "NOODL-75", "16"}, {"c2", "YOGH-500", "8"}, {"c3", "SANDW-HAM", "8"}, {"c4", "APPLE-1", "15"},
      {"d1", "SHAMP-250", "10"}, {"d2", "TPST-75", "15"}, {"d3", "MINTS-40", "25"}, {"d4", "TISSU-10", "20"}};

  static StoreConfig demo() {
    return demo(80, 1.0);
  }

  /** The example store with every device at {@code rateHz} and stock scaled by {@code stockFactor}. */
  static StoreConfig demo(int rateHz, double stockFactor) {
    List<Shelf> shelves = new ArrayList<>();
    List<Device> devices = new ArrayList<>();
    String[] shelfIds = {"a", "b", "c", "d"};
    double[] xs = {1.0, 3.5, 6.0, 8.5};
    for (int s = 0; s < 4; s++) {
      List<Lane> lanes = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String[] l = LANES[s * 4 + i];
        int cap = Integer.parseInt(l[2]);
        lanes.add(new Lane(l[0], l[1], cap, (int) Math.round(cap * stockFactor), String.valueOf(i), new Position(xs[s], 1.0 + 0.6 * i)));
      }
      String dev = "cells-" + shelfIds[s];
      shelves.add(new Shelf("shelf-" + shelfIds[s], dev, lanes));
      devices.add(device(dev, s, Map.of("sampleRateHz", rateHz, "fullScaleGrams", 20000)));
    }
    return new StoreConfig("test-store.yaml", new StoreConfig.StoreInfo("demo-001", "gw-01", "EUR", "Europe/Berlin"),
        CATALOG, shelves, devices,
        List.of(new Gate("entrance", new Position(0.0, 4.0), null), new Gate("exit", new Position(9.5, 4.0), null)),
        new StoreConfig.Sync(List.of("tcp://127.0.0.1:1883"), "demo-001-gw-01", "storeedge/v1", StoreConfig.Tls.none(),
            StoreConfig.Credentials.none(), 30, 604800),
        new StoreConfig.Storage(Path.of("data/storeedge.db"), 1L << 31));
  }

  static Device device(String id, int index, Map<String, Object> settings) {
    Map<String, Location> locs = new LinkedHashMap<>();
    int col = 40;
    for (String k : settings.keySet()) {
      locs.put(k, new Location("test-store.yaml", 60 + index, col));
      col += 20;
    }
    String path = "devices[" + index + "].settings";
    return new Device(id, SimulatedShelfDriverFactory.TYPE,
        new Settings(path, new Location("test-store.yaml", 60 + index, 30), settings, locs),
        new Location("test-store.yaml", 60 + index, 5));
  }

  static Product product(String sku, double grams, double spread) {
    return new Product(sku, sku, grams, spread, 100, "EUR");
  }
}
