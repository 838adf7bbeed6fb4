package org.storeedge.runtime.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.storeedge.checkout.cart.LineEvidence;
import org.storeedge.checkout.cart.Receipt;
import org.storeedge.checkout.cart.ReceiptLine;
import org.storeedge.core.json.Json;
import org.storeedge.simulator.GroundTruth;

/**
 * Is the stated shopper probability right? Every take on a final receipt (its line evidence) is
 * matched to the simulator's true takes at that lane within the movement; where exactly one
 * shopper truly took there, the charge is right when that shopper is the one charged. Counted by
 * the stated {@code shopperProbability}, separately for takes with other shoppers there (the
 * contested ones, where the probability does the work) and takes with the shopper alone. The same
 * takes also say whether the product and count charged were what left the lane, by the stated
 * {@code productProbability}.
 */
public final class ChargeCalibration implements Json.JsonValue {
  /** Bin edges of the stated probability; the last bin takes 1.0. */
  static final double[] EDGES = {0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0};

  private static final Set<String> TAKES = Set.of("pick", "shared-out", "swap-take");

  private final long[] contested = new long[EDGES.length - 1];
  private final long[] contestedRight = new long[EDGES.length - 1];
  /** Sum of the stated probabilities in each bin: what the bin says should be right. */
  private final double[] contestedStated = new double[EDGES.length - 1];
  private final long[] product = new long[EDGES.length - 1];
  private final long[] productRight = new long[EDGES.length - 1];
  private final double[] productStated = new double[EDGES.length - 1];
  private long alone;
  private long aloneRight;
  /** Takes whose lane saw no true take, or several shoppers' takes, within the movement. */
  private long unmatched;

  /** Adds one run: its receipts (amendments apply to the receipt they amend) and its ground truth. */
  public void add(List<Receipt> receipts, GroundTruth truth) {
    Map<String, Receipt> last = new LinkedHashMap<>();
    for (Receipt r : receipts) {
      last.put(r.amends() == null ? r.receiptId() : r.amends(), r);
    }
    Map<String, List<GroundTruth.Action>> takesByLane = truth.actions().stream()
        .filter(a -> a.kind() == GroundTruth.Kind.TAKE)
        .collect(Collectors.groupingBy(GroundTruth.Action::laneId));
    for (Receipt r : last.values()) {
      for (ReceiptLine line : r.items()) {
        for (LineEvidence m : line.evidence()) {
          if (m.qty() > 0 && TAKES.contains(m.basis())) {
            add(m, line.sku(), r.customerToken(), takesByLane.getOrDefault(m.laneId(), List.of()));
          }
        }
      }
    }
  }

  private void add(LineEvidence m, String sku, String charged, List<GroundTruth.Action> takes) {
    List<GroundTruth.Action> within = takes.stream()
        .filter(a -> a.itemMove().toEpochMilli() >= m.startMillis() - EventScorer.TOLERANCE_MILLIS
            && a.itemMove().toEpochMilli() <= m.endMillis() + EventScorer.TOLERANCE_MILLIS).toList();
    Set<String> takers = within.stream().map(GroundTruth.Action::token).collect(Collectors.toSet());
    if (takers.size() != 1) {
      unmatched++;
      return;
    }
    Map<String, Integer> left = new java.util.TreeMap<>();
    within.forEach(a -> left.merge(a.sku(), -a.signedQty(), Integer::sum));
    int pb = bin(m.productProbability());
    product[pb]++;
    productStated[pb] += m.productProbability();
    productRight[pb] += left.equals(Map.of(sku, m.qty())) ? 1 : 0;
    boolean right = takers.contains(charged);
    if (m.others().isEmpty()) {
      alone++;
      aloneRight += right ? 1 : 0;
      return;
    }
    int bin = bin(m.shopperProbability());
    contested[bin]++;
    contestedStated[bin] += m.shopperProbability();
    contestedRight[bin] += right ? 1 : 0;
  }

  static int bin(double p) {
    for (int i = EDGES.length - 2; i > 0; i--) {
      if (p >= EDGES[i]) {
        return i;
      }
    }
    return 0;
  }

  /** Adds another tally to this one. */
  public void add(ChargeCalibration o) {
    for (int i = 0; i < contested.length; i++) {
      contested[i] += o.contested[i];
      contestedRight[i] += o.contestedRight[i];
      contestedStated[i] += o.contestedStated[i];
    }
    for (int i = 0; i < product.length; i++) {
      product[i] += o.product[i];
      productRight[i] += o.productRight[i];
      productStated[i] += o.productStated[i];
    }
    alone += o.alone;
    aloneRight += o.aloneRight;
    unmatched += o.unmatched;
  }

  public long contested() {
    return java.util.Arrays.stream(contested).sum();
  }

  /** Contested takes stated in bin {@code i} (see {@link #EDGES}), and how many of them were right. */
  public long contested(int i) {
    return contested[i];
  }

  public long contestedRight(int i) {
    return contestedRight[i];
  }

  /** The mean stated shopper probability of the contested takes in bin {@code i} (NaN if none). */
  public double contestedStated(int i) {
    return contestedStated[i] / contested[i];
  }

  /** Matched takes whose product was stated in bin {@code i}, and how many were the product and count that left. */
  public long product(int i) {
    return product[i];
  }

  public long productRight(int i) {
    return productRight[i];
  }

  public long alone() {
    return alone;
  }

  public long aloneRight() {
    return aloneRight;
  }

  public long unmatched() {
    return unmatched;
  }

  private static String label(int i) {
    return i == EDGES.length - 2 ? EDGES[i] + "+" : EDGES[i] + "-" + EDGES[i + 1];
  }

  /**
   * Two lines: who (right share per stated probability for contested takes, then those alone at
   * the lane) and what (right product and count per stated probability). Each bin shows the share
   * right, its count and, in brackets, the mean stated probability: calibrated when they agree.
   */
  public String summary() {
    return String.format("charged shopper is the taker, by stated probability, takes with other shoppers there (%d): "
        + "%s; alone at the lane: %s of %d; not matched to one true taker: %d%n"
        + "charged product and count are what left the lane, by stated probability (%d): %s", contested(),
        bins(contested, contestedRight, contestedStated), alone == 0 ? "-" : String.format("%.2f %%", 100.0 * aloneRight / alone), alone,
        unmatched, java.util.Arrays.stream(product).sum(), bins(product, productRight, productStated));
  }

  private static String bins(long[] n, long[] right, double[] stated) {
    List<String> bins = new ArrayList<>();
    for (int i = 0; i < n.length; i++) {
      if (n[i] > 0) {
        bins.add(String.format("%s %.1f %% of %d (stated %.1f)", label(i), 100.0 * right[i] / n[i], n[i],
            100.0 * stated[i] / n[i]));
      }
    }
    return bins.isEmpty() ? "none" : String.join(", ", bins);
  }

  @Override
  public void writeJson(StringBuilder out) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("contested", binsJson(contested, contestedRight, contestedStated));
    m.put("alone", Map.of("takes", alone, "right", aloneRight));
    m.put("product", binsJson(product, productRight, productStated));
    m.put("unmatched", unmatched);
    Json.write(out, m);
  }

  private static List<Object> binsJson(long[] n, long[] right, double[] stated) {
    List<Object> bins = new ArrayList<>();
    for (int i = 0; i < n.length; i++) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("from", EDGES[i]);
      b.put("to", EDGES[i + 1]);
      b.put("takes", n[i]);
      b.put("right", right[i]);
      b.put("meanStated", n[i] == 0 ? null : Json.round(stated[i] / n[i], 4));
      bins.add(b);
    }
    return bins;
  }
}
