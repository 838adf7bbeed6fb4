package org.storeedge.runtime.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.storeedge.checkout.cart.CheckoutEngine;
import org.storeedge.checkout.cart.CheckoutSettings;
import org.storeedge.checkout.cart.CheckoutSnapshot;
import org.storeedge.checkout.weight.LaneInventory;
import org.storeedge.checkout.weight.WeightModel;
import org.storeedge.config.Location;
import org.storeedge.config.Settings;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.event.GateEvent;
import org.storeedge.core.event.ShelfEvent;
import org.storeedge.core.event.ShopperObservation;
import org.storeedge.sync.state.CheckoutStateStore;
import org.storeedge.sync.state.StateDatabase;

/**
 * What keeping open carts across restarts costs: a store of {@code lanes} lanes with
 * {@code visits} open visits (each with picks on 4 lanes, one of them flagged), timed over many
 * rounds: taking the snapshot and writing it as JSON on the agent thread, and storing it in the
 * state database (WAL, synchronous=FULL) on the writer thread. Prints sizes and times.
 *
 * <p>Run: see docs/benchmarks.md ("Open carts across restarts").
 */
public final class CheckoutStateHarness {
  private CheckoutStateHarness() {}

  public static void main(String[] args) throws Exception {
    int lanes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int visits = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    Path dir = Files.createTempDirectory(args.length > 3 ? Path.of(args[3]) : Path.of("/tmp"), "checkout-state-");
    Location loc = new Location("harness", 1, 1);
    List<StoreConfig.Product> catalog = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      catalog.add(new StoreConfig.Product("P" + i, "Product " + i, 60 + 31 * i, 1 + i * 0.2, 100 + i, "EUR"));
    }
    List<StoreConfig.Shelf> shelves = new ArrayList<>();
    for (int s = 0; s < lanes / 10; s++) {
      List<StoreConfig.Lane> ls = new ArrayList<>();
      for (int l = 0; l < 10; l++) {
        ls.add(new StoreConfig.Lane("s" + s + "l" + l, "P" + ((s + l) % 40), 20, 20, String.valueOf(l),
            new StoreConfig.Position(s * 2.0, l * 0.5)));
      }
      shelves.add(new StoreConfig.Shelf("s" + s, "d", ls));
    }
    StoreConfig store = new StoreConfig("harness", new StoreConfig.StoreInfo("h", "g", "EUR", "UTC"), catalog, shelves,
        List.of(new StoreConfig.Device("d", "x", Settings.empty("d", loc), loc)),
        List.of(new StoreConfig.Gate("door", new StoreConfig.Position(-2, 0), null)),
        new StoreConfig.Sync(List.of(), "c", "storeedge/v1", StoreConfig.Tls.none(), StoreConfig.Credentials.none(), 30, 0),
        new StoreConfig.Storage(dir.resolve("x.db"), 1 << 30));
    CheckoutEngine engine = new CheckoutEngine(store, new LaneInventory(store), new WeightModel(store.productsBySku()),
        CheckoutSettings.defaults(), at -> Map.of(), r -> { }, n -> { });
    long t = 1_700_000_000_000L;
    List<StoreConfig.Lane> all = store.lanes();
    for (int v = 0; v < visits; v++) {
      String token = "cust-" + v;
      engine.onGate(new GateEvent("door", GateEvent.Direction.ENTER, token, t));
      for (int k = 0; k < 4; k++) {
        StoreConfig.Lane lane = all.get((v * 37 + k * 11) % all.size());
        double grams = store.productsBySku().get(lane.sku()).unitWeightGrams();
        t += 5000;
        for (long o = t - 3000; o <= t + 3000; o += 200) {
          // a second shopper close by on every fourth pick: a flagged line with its evidence
          engine.onObservation(new ShopperObservation("trk-" + token, token, lane.position().x() + 0.5,
              lane.position().y(), o, 1.0));
          if (k == 3 && v > 0) {
            engine.onObservation(new ShopperObservation("trk-cust-" + (v - 1), "cust-" + (v - 1),
                lane.position().x() + 0.6, lane.position().y() + 0.5, o, 1.0));
          }
        }
        engine.onShelfEvent(new ShelfEvent("e" + v + k, lane.id(), t, t + 1400, -grams, 1.5,
            List.of(new ShelfEvent.LaneChange(lane.id(), -grams, 1.5, t, t + 1400)),
            List.of(new ShelfEvent.Candidate(lane.sku(), 1, lane.id(), 0.99)), 0.99));
      }
    }
    long[] build = new long[rounds];
    long[] save = new long[rounds];
    int bytes = 0;
    try (StateDatabase db = StateDatabase.open(dir.resolve("state.db"))) {
      CheckoutStateStore states = new CheckoutStateStore(db);
      for (int i = 0; i < rounds; i++) {
        long a = System.nanoTime();
        CheckoutSnapshot snap = engine.snapshot(t + i);
        String json = CheckoutStateKeeper.toJson(snap);
        long b = System.nanoTime();
        states.save(json, t + i);
        long c = System.nanoTime();
        build[i] = b - a;
        save[i] = c - b;
        bytes = json.length();
      }
    }
    System.out.printf("lanes %d, open visits %d, rounds %d, snapshot %d bytes (JSON)%n", lanes, visits, rounds, bytes);
    System.out.printf("snapshot + JSON (agent thread): %s%n", summary(build, rounds / 5));
    System.out.printf("store, fsync'd (writer thread):  %s%n", summary(save, rounds / 5));
  }

  /** p50 / p99 / max in ms over the rounds after the first {@code warm}. */
  private static String summary(long[] nanos, int warm) {
    long[] n = Arrays.copyOfRange(nanos, warm, nanos.length);
    Arrays.sort(n);
    return String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms", n[n.length / 2] / 1e6,
        n[Math.min(n.length - 1, (int) Math.ceil(n.length * 0.99) - 1)] / 1e6, n[n.length - 1] / 1e6);
  }
}
