package org.storeedge.simulator.camera;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.storeedge.config.StoreConfig.Position;
import org.storeedge.simulator.SimulatedStore;

/**
 * The shoppers of a {@link SimulatedStore} as figures: true (noise-free) positions from its plan,
 * speed from the position 100 ms earlier, and a height (1.55-1.95 m) and width drawn once per
 * track id from {@code seed}. Pure: callable for any instant, from any thread.
 */
public final class SimulatedStoreScene implements StoreScene {
  private static final Duration SPEED_WINDOW = Duration.ofMillis(100);

  private final SimulatedStore store;
  private final long seed;

  public SimulatedStoreScene(SimulatedStore store, long seed) {
    this.store = store;
    this.seed = seed;
  }

  @Override
  public List<ShopperFigure> shoppersAt(Instant t) {
    Map<String, Position> now = store.shopperPositionsAt(t);
    Map<String, Position> before = store.shopperPositionsAt(t.minus(SPEED_WINDOW));
    List<ShopperFigure> out = new ArrayList<>(now.size());
    for (Map.Entry<String, Position> e : now.entrySet()) {
      Position p = e.getValue();
      Position q = before.getOrDefault(e.getKey(), p);
      double speed = p.distanceTo(q) / (SPEED_WINDOW.toNanos() / 1e9);
      out.add(figure(e.getKey(), p.x(), p.y(), speed, seed));
    }
    return out;
  }

  /** The figure of shopper {@code id} with its seeded size. */
  static ShopperFigure figure(String id, double x, double y, double speed, long seed) {
    Random r = new Random(seed * 0x9E3779B97F4A7C15L ^ id.hashCode());
    double h = 1.55 + 0.40 * r.nextDouble();
    double w = 0.5 * Math.sqrt(h / 1.7) * (0.92 + 0.16 * r.nextDouble());
    return new ShopperFigure(id, x, y, h, w, speed);
  }
}
