package org.storeedge.checkout.cart;

import java.util.List;
import java.util.Map;
import org.storeedge.core.event.ShelfEvent;
import org.storeedge.core.event.ShopperObservation;

/** Synthetic inputs for tests that drive {@link CheckoutEngine} directly, without load cells. */
final class Inputs {
  private Inputs() {}

  /** Each shopper of {@code where} (token to x, y) seen standing there every 200 ms over [from, to], on track trk-TOKEN. */
  static void standing(CheckoutEngine engine, Map<String, double[]> where, long from, long to) {
    for (long t = from; t <= to; t += 200) {
      for (Map.Entry<String, double[]> w : where.entrySet()) {
        engine.onObservation(new ShopperObservation("trk-" + w.getKey(), w.getKey(), w.getValue()[0], w.getValue()[1], t,
            1.0));
      }
    }
  }

  /** A shelf event of one lane changing by {@code grams} over [start, end], explained as {@code count} x {@code sku}. */
  static ShelfEvent laneEvent(String eventId, String shelfId, String laneId, double grams, double sigma, String sku,
      int count, double likelihood, long start, long end) {
    return new ShelfEvent(eventId, shelfId, start, end, grams, sigma,
        List.of(new ShelfEvent.LaneChange(laneId, grams, sigma, start, end)),
        List.of(new ShelfEvent.Candidate(sku, count, laneId, likelihood)), likelihood);
  }
}
