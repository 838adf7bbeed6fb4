package org.storeedge.checkout.cart;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.storeedge.core.json.Erasure;
import org.storeedge.core.json.Json;

/**
 * One shelf movement that made a receipt line what it is, and what it was charged on. Every line
 * carries its movements, flagged or not: a disputed charge is answered from them, and the stated
 * probabilities can be checked against what really happened.
 *
 * @param eventId the shelf event
 * @param startMillis when the lane's change began (store clock)
 * @param endMillis when the lane settled
 * @param laneId the lane
 * @param qty units this movement put on the line: positive for a take, negative for a put-back
 * @param deltaGrams the lane's weight change
 * @param basis how it was read: {@code pick}; {@code shared-out} (several hands in the lane while
 *     several units left it, shared between them); {@code put-back}; {@code swap-put} and {@code
 *     swap-take} (one movement put an item on the lane and took another off)
 * @param productProbability how likely the product and count are, given the weight (for a swap,
 *     the probability of the swap as a whole)
 * @param shopperProbability how likely this shopper moved it, given where the shoppers stood (and
 *     hands, when a hand source is live)
 * @param handInLane how sure the hand source was that this shopper's hand was in the lane; -1 when
 *     no hand source spoke for this movement
 * @param others the other shoppers who could have moved it, likeliest first
 * @param otherProducts other explanations of the weight change, likeliest first
 */
public record LineEvidence(String eventId, long startMillis, long endMillis, String laneId, int qty,
    double deltaGrams, String basis, double productProbability, double shopperProbability, double handInLane,
    List<Other> others, List<Product> otherProducts) implements Json.JsonValue {

  public LineEvidence {
    others = List.copyOf(others);
    otherProducts = List.copyOf(otherProducts);
  }

  /** The confidence this movement gave the line. */
  public double confidence() {
    return productProbability * shopperProbability;
  }

  /**
   * The same movement with one shopper among the others no longer named (that shopper's data was
   * erased): their token becomes {@link Erasure#PLACEHOLDER}, their probability and distance stay.
   * This instance when they are not among the others.
   */
  public LineEvidence erasing(String customerToken) {
    if (others.stream().noneMatch(o -> o.customerToken().equals(customerToken))) {
      return this;
    }
    return new LineEvidence(eventId, startMillis, endMillis, laneId, qty, deltaGrams, basis, productProbability,
        shopperProbability, handInLane, others.stream().map(o -> !o.customerToken().equals(customerToken) ? o
            : new Other(Erasure.PLACEHOLDER, o.probability(), o.distanceMeters())).toList(), otherProducts);
  }

  /** Another shopper who could have moved the item, with the probability they did and their distance, metres. */
  public record Other(String customerToken, double probability, double distanceMeters) {}

  /** Another product and count the weight change could have been, with its probability. */
  public record Product(String sku, int count, double probability) {}

  @Override
  public void writeJson(StringBuilder out) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("eventId", eventId);
    m.put("start", Instant.ofEpochMilli(startMillis).toString());
    m.put("end", Instant.ofEpochMilli(endMillis).toString());
    m.put("laneId", laneId);
    m.put("qty", qty);
    m.put("deltaGrams", Json.round(deltaGrams, 1));
    m.put("basis", basis);
    m.put("productProbability", Json.round(productProbability, 4));
    m.put("shopperProbability", Json.round(shopperProbability, 4));
    if (handInLane >= 0) {
      m.put("handInLane", Json.round(handInLane, 3));
    }
    m.put("others", others.stream().map(o -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("customerToken", o.customerToken());
      x.put("probability", Json.round(o.probability(), 4));
      x.put("distanceMeters", Json.round(o.distanceMeters(), 2));
      return x;
    }).toList());
    m.put("otherProducts", otherProducts.stream().map(o -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("sku", o.sku());
      x.put("count", o.count());
      x.put("probability", Json.round(o.probability(), 4));
      return x;
    }).toList());
    Json.write(out, m);
  }
}
