package org.storeedge.checkout.cart;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.storeedge.config.StoreConfig;

/**
 * Where shoppers stand when they take from a shelf, learnt from the picks nobody else could have
 * made. A lane's configured position is where the technician measured it (the lane's centre, the
 * shelf edge...), not where a shopper's tracked position is while their hand is in it: that is
 * some way out in front, and with cameras also wherever the floor projection puts a person leaning
 * over a gondola. Comparing candidates by their distance to the lane's position favours someone
 * passing closer than the shopper who stands at arm's length and takes; comparing them by their
 * distance to the learnt spot does not.
 *
 * <p>One offset per shelf (its lanes share a front), in store coordinates: the mean of the
 * offsets from the lane's position to the taker's median position over the lane's active window,
 * from picks with a single candidate standing still within reach. Until {@link #MIN_SAMPLES} such
 * picks are seen the lane's own position is used. The mean forgets slowly (a window of about
 * {@link #WINDOW} picks), so a moved gondola or camera is relearnt. It is part of the checkout's
 * snapshot, so a restart does not start over.
 */
final class PickSpots {
  /** Picks needed before a shelf's learnt spot is used. */
  static final int MIN_SAMPLES = 10;
  /** About how many recent picks the mean reflects. */
  static final int WINDOW = 200;
  /** An offset longer than this is no standing spot (a tracking error, a long reach): not learnt. */
  static final double MAX_OFFSET_METERS = 1.0;

  private final Map<String, String> shelfOfLane = new HashMap<>();
  private final Map<String, double[]> byShelf = new HashMap<>(); // {n, meanX, meanY}

  PickSpots(StoreConfig config) {
    for (StoreConfig.Shelf shelf : config.shelves()) {
      for (StoreConfig.Lane lane : shelf.lanes()) {
        shelfOfLane.put(lane.id(), shelf.id());
      }
    }
  }

  /** A single candidate stood {@code (dx, dy)} from the position of lane {@code laneId} while taking from it. */
  void learn(String laneId, double dx, double dy) {
    String shelf = shelfOfLane.get(laneId);
    if (shelf == null || !(Math.hypot(dx, dy) <= MAX_OFFSET_METERS)) {
      return;
    }
    double[] m = byShelf.computeIfAbsent(shelf, k -> new double[3]);
    m[0] = Math.min(m[0] + 1, WINDOW);
    m[1] += (dx - m[1]) / m[0];
    m[2] += (dy - m[2]) / m[0];
  }

  /** Where a shopper taking from {@code lane} stands, once learnt. */
  Optional<StoreConfig.Position> spot(StoreConfig.Lane lane) {
    double[] m = byShelf.get(shelfOfLane.get(lane.id()));
    if (m == null || m[0] < MIN_SAMPLES) {
      return Optional.empty();
    }
    return Optional.of(new StoreConfig.Position(lane.position().x() + m[1], lane.position().y() + m[2]));
  }

  /** Every shelf's learnt spot (picks counted, capped at {@link #WINDOW}, and the mean offset), for a snapshot. */
  Map<String, CheckoutSnapshot.Spot> export() {
    Map<String, CheckoutSnapshot.Spot> out = new HashMap<>();
    byShelf.forEach((shelf, m) -> out.put(shelf, new CheckoutSnapshot.Spot((int) m[0], m[1], m[2])));
    return out;
  }

  /** Takes over what a shelf of this store had learnt before a restart. */
  void restore(String shelfId, CheckoutSnapshot.Spot l) {
    if (shelfOfLane.containsValue(shelfId) && l.samples() > 0 && Math.hypot(l.dx(), l.dy()) <= MAX_OFFSET_METERS) {
      byShelf.put(shelfId, new double[] {Math.min(l.samples(), WINDOW), l.dx(), l.dy()});
    }
  }

  /** Learnt picks of a shelf (capped at {@link #WINDOW}), for health and tests. */
  int samples(String shelfId) {
    double[] m = byShelf.get(shelfId);
    return m == null ? 0 : (int) m[0];
  }
}
