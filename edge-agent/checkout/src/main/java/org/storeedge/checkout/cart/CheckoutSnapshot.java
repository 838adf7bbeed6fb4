package org.storeedge.checkout.cart;

import java.util.List;
import java.util.Map;
import org.storeedge.checkout.weight.LaneInventory;

/**
 * What the checkout holds between shelf events, so that a restart of the agent (a store file
 * update, a power cut) does not lose it: every open visit with its cart and review reasons, and
 * what each lane holds. Plain data; the runtime stores it.
 *
 * @param takenAtMillis when it was taken (store clock)
 * @param visits visits not yet closed into a receipt
 * @param lanes what each lane held, by lane id
 * @param laneGrams each lane's stable weight then, grams (lanes without one are absent): a lane
 *     weighing otherwise after the restart changed while the agent was down
 * @param spots where takers stand at each shelf, as learnt (see {@code PickSpots}), by shelf id
 */
public record CheckoutSnapshot(long takenAtMillis, List<Visit> visits, Map<String, LaneInventory.Contents> lanes,
    Map<String, Double> laneGrams, Map<String, Spot> spots) {
  public CheckoutSnapshot {
    visits = List.copyOf(visits);
    lanes = Map.copyOf(lanes);
    laneGrams = Map.copyOf(laneGrams);
    spots = Map.copyOf(spots);
  }

  /** The same snapshot with the lanes' weights. */
  public CheckoutSnapshot withLaneGrams(Map<String, Double> grams) {
    return new CheckoutSnapshot(takenAtMillis, visits, lanes, grams, spots);
  }

  /** A shelf's learnt takers' spot: picks it was learnt from and the offset from the lanes, metres. */
  public record Spot(int samples, double dx, double dy) {}

  /**
   * One open visit.
   *
   * @param exitAtMillis the exit, or -1 while the shopper is inside
   * @param members people checked in on the token; {@code exited} of them are out
   * @param emitted receipts already sent for this visit (0 for a visit still inside)
   */
  public record Visit(String token, long enteredAtMillis, long exitAtMillis, int members, int exited, int emitted,
      List<Line> cart, List<ReviewReason> reasons) {
    public Visit {
      cart = List.copyOf(cart);
      reasons = List.copyOf(reasons);
    }
  }

  /**
   * One cart line: units held (negative after more returns than takes), its confidence, the
   * weighed units, and the movements that made it (see {@link LineEvidence}).
   */
  public record Line(String sku, int qty, double confidence, List<Double> unitGrams, List<LineEvidence> evidence) {
    public Line {
      unitGrams = List.copyOf(unitGrams);
      evidence = List.copyOf(evidence);
    }

    /** A line whose movements are not on record (a state written before they were kept). */
    public Line(String sku, int qty, double confidence, List<Double> unitGrams) {
      this(sku, qty, confidence, unitGrams, List.of());
    }
  }
}
