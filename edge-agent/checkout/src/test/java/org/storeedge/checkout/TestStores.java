package org.storeedge.checkout;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.storeedge.config.Location;
import org.storeedge.config.Settings;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfig.Device;
import org.storeedge.config.StoreConfig.Gate;
import org.storeedge.config.StoreConfig.Lane;
import org.storeedge.config.StoreConfig.Position;
import org.storeedge.config.StoreConfig.Product;
import org.storeedge.config.StoreConfig.Shelf;

/** A small store built in code for checkout tests. */
public final class TestStores {
  private TestStores() {}

  /** Shelf s1 with lanes l1 (COLA 352 g), l2 (CANDY 55 g), l3 (BAR 43 g) 0.6 m apart at x = 1. */
  public static StoreConfig small() {
    return small(OptionalDouble.empty());
  }

  /** {@link #small()} with the shelf's {@code facing} (degrees) given or not. */
  public static StoreConfig small(OptionalDouble facing) {
    return small(facing, List.of(), List.of());
  }

  /**
   * {@link #small()} plus lane l4 (ICE-TEA, a 354 g can that weighs like the cola within its
   * spread) at y = 2.8.
   */
  public static StoreConfig withLookAlike() {
    return small(OptionalDouble.empty(), List.of(new Product("ICE-TEA", "Ice tea can", 354, 3, 139, "EUR")),
        List.of(new Lane("l4", "ICE-TEA", 12, 12, "3", new Position(1.0, 2.8))));
  }

  /** {@link #small()} plus lane l4 (PENCIL, 6.2 g) at y = 2.8 on the same shelf. */
  public static StoreConfig withPencils() {
    return small(OptionalDouble.empty(), List.of(new Product("PENCIL", "Colour pencil", 6.2, 0.2, 49, "EUR")),
        List.of(new Lane("l4", "PENCIL", 40, 40, "3", new Position(1.0, 2.8))));
  }

  private static StoreConfig small(OptionalDouble facing, List<Product> moreProducts, List<Lane> moreLanes) {
    Location loc = new Location("test.yaml", 1, 1);
    List<Product> catalog = new java.util.ArrayList<>(List.of(
        new Product("COLA", "Cola can", 352, 3, 149, "EUR"),
        new Product("CANDY", "Caramel bar", 55, 1.5, 89, "EUR"),
        new Product("BAR", "Granola bar", 43, 1.2, 79, "EUR")));
    catalog.addAll(moreProducts);
    List<Lane> lanes = new java.util.ArrayList<>(List.of(
        new Lane("l1", "COLA", 12, 12, "0", new Position(1.0, 1.0)),
        new Lane("l2", "CANDY", 30, 30, "1", new Position(1.0, 1.6)),
        new Lane("l3", "BAR", 30, 30, "2", new Position(1.0, 2.2))));
    lanes.addAll(moreLanes);
    return new StoreConfig("test.yaml",
        new StoreConfig.StoreInfo("store-t", "gw-t", "EUR", "UTC"),
        catalog,
        List.of(new Shelf("s1", "cells", lanes, facing)),
        List.of(new Device("cells", "test", Settings.empty("devices[0].settings", loc), loc)),
        List.of(new Gate("door", new Position(0, 4), null)),
        new StoreConfig.Sync(List.of(), "c", "storeedge/v1", StoreConfig.Tls.none(), StoreConfig.Credentials.none(), 30, 0),
        new StoreConfig.Storage(Path.of("x.db"), 1 << 30));
  }

  static Optional<String> none() {
    return Optional.empty();
  }
}
