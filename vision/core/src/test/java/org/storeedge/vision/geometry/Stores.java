package org.storeedge.vision.geometry;

import java.util.List;
import org.storeedge.config.StoreConfig;

/** Small store configs for tests. */
public final class Stores {
  private Stores() {}

  /** Shelf a at x = 1 and shelf b at x = 3.5, two lanes each at y = 1.0 and 1.6; gate at (0, 4). */
  public static StoreConfig twoShelves() {
    StoreConfig.Shelf a = new StoreConfig.Shelf("a", "cells-a", List.of(
        lane("a1", 1.0, 1.0), lane("a2", 1.0, 1.6)));
    StoreConfig.Shelf b = new StoreConfig.Shelf("b", "cells-b", List.of(
        lane("b1", 3.5, 1.0), lane("b2", 3.5, 1.6)));
    return new StoreConfig("test", new StoreConfig.StoreInfo("s", "gw", "EUR", "UTC"), List.of(), List.of(a, b), List.of(),
        List.of(new StoreConfig.Gate("entrance", new StoreConfig.Position(0, 4), null)), null, null);
  }

  private static StoreConfig.Lane lane(String id, double x, double y) {
    return new StoreConfig.Lane(id, "SKU-" + id, 10, 10, id, new StoreConfig.Position(x, y));
  }
}
