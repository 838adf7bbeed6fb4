package org.storeedge.simulator.camera;

import java.time.Instant;
import java.util.List;

/**
 * What moves in the store, queried by instant: the shoppers inside. The static part (shelves,
 * lanes, gates) comes from the store config given to the renderer. Implementations are pure
 * functions of the instant (the same instant gives the same figures), so frames can be rendered
 * in any order and from any thread.
 */
@FunctionalInterface
public interface StoreScene {
  List<ShopperFigure> shoppersAt(Instant t);

  /** A store with nobody in it. */
  static StoreScene empty() {
    return t -> List.of();
  }

  /** The same figures at every instant. */
  static StoreScene fixed(List<ShopperFigure> figures) {
    List<ShopperFigure> copy = List.copyOf(figures);
    return t -> copy;
  }
}
