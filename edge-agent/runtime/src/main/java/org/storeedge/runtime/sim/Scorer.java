package org.storeedge.runtime.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.storeedge.checkout.cart.Receipt;
import org.storeedge.checkout.cart.ReceiptLine;
import org.storeedge.core.json.Json;

/**
 * Scores receipts against ground-truth carts the way the field does: precision, recall and F1 over
 * (sku, quantity) per customer, counted in units (a line of 3 where 2 were taken is 2 right and 1
 * wrong). Also the exact-receipt rate, the review rate, and the wrong units that were NOT flagged
 * for review (silent wrong charges).
 */
public final class Scorer {
  private Scorer() {}

  /** Scores of one run. */
  /**
   * Scores of one run.
   *
   * @param silentWrongUnits wrong units (charged too many or missing) on receipts not flagged for review
   * @param unnamedWrongUnits wrong units that no review reason points at: those of
   *     {@code silentWrongUnits} plus those on flagged receipts whose every reason is about other
   *     products (a reviewer reading the reasons would not look at that line). A reason points at a
   *     product when its evidence lists it (a candidate, a sku); a reason whose evidence names no
   *     product at all (a possible hand-off, a shopper lost by the cameras, an unsettled shelf at the
   *     exit, a restart...) puts the whole receipt in doubt.
   */
  public record Score(int customers, int receipts, long truthUnits, long chargedUnits, long correctUnits,
      int exactReceipts, int reviewedReceipts, long silentWrongUnits, long missingReceipts, List<String> mismatches,
      Map<String, Integer> reviewReasons, Map<String, Integer> reviewReasonsOnExact, long unnamedWrongUnits)
      implements Json.JsonValue {

    /** Flagged receipts that were right as they stood: work a reviewer did for nothing. */
    public int needlessReviews() {
      return reviewReasonsOnExact.getOrDefault(ANY, 0);
    }

    public double precision() {
      return chargedUnits == 0 ? (truthUnits == 0 ? 1 : 0) : (double) correctUnits / chargedUnits;
    }

    public double recall() {
      return truthUnits == 0 ? (chargedUnits == 0 ? 1 : 0) : (double) correctUnits / truthUnits;
    }

    public double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double exactRate() {
      return customers == 0 ? 1 : (double) exactReceipts / customers;
    }

    public double reviewRate() {
      return receipts == 0 ? 0 : (double) reviewedReceipts / receipts;
    }

    @Override
    public void writeJson(StringBuilder out) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("customers", customers);
      m.put("receipts", receipts);
      m.put("missingReceipts", missingReceipts);
      m.put("truthUnits", truthUnits);
      m.put("chargedUnits", chargedUnits);
      m.put("correctUnits", correctUnits);
      m.put("precision", Json.round(precision(), 5));
      m.put("recall", Json.round(recall(), 5));
      m.put("f1", Json.round(f1(), 5));
      m.put("exactReceipts", exactReceipts);
      m.put("exactRate", Json.round(exactRate(), 5));
      m.put("reviewedReceipts", reviewedReceipts);
      m.put("reviewRate", Json.round(reviewRate(), 5));
      m.put("silentWrongUnits", silentWrongUnits);
      m.put("unnamedWrongUnits", unnamedWrongUnits);
      m.put("reviewReasons", reviewReasons);
      m.put("reviewReasonsOnExactReceipts", reviewReasonsOnExact);
      m.put("mismatches", mismatches);
      Json.write(out, m);
    }
  }

  /** Adds one to each review reason code the receipt carries (once per code). */
  private static void countReasons(Receipt r, Map<String, Integer> counts) {
    r.reviewReasons().stream().map(org.storeedge.checkout.cart.ReviewReason::code).distinct()
        .forEach(c -> counts.merge(c, 1, Integer::sum));
  }

  /** Key of {@link Score#reviewReasonsOnExact} counting flagged receipts that were exact, any reason. */
  public static final String ANY = "(any)";

  /**
   * @param truth customer token to (sku to qty) actually left with (zero lines omitted)
   * @param receipts receipts produced, any order; amendments are applied to the receipt they amend
   */
  public static Score score(Map<String, Map<String, Integer>> truth, List<Receipt> receipts) {
    return score(truth, receipts, Receipt::customerToken);
  }

  /**
   * @param truth visit to (sku to qty) actually left with (zero lines omitted)
   * @param receipts receipts produced, any order; amendments are applied to the receipt they amend
   * @param visitOf the key in {@code truth} of the visit a receipt (or amendment) is for: its
   *     customer token, unless the token came back in and has several
   */
  public static Score score(Map<String, Map<String, Integer>> truth, List<Receipt> receipts,
      java.util.function.Function<Receipt, String> visitOf) {
    Map<String, Receipt> byToken = new LinkedHashMap<>();
    for (Receipt r : receipts) {
      if (r.amends() == null) {
        byToken.put(visitOf.apply(r), r);
      }
    }
    for (Receipt r : receipts) {
      if (r.amends() != null) {
        byToken.put(visitOf.apply(r), r); // the amendment states the corrected whole receipt
      }
    }
    Set<String> tokens = new HashSet<>(truth.keySet());
    tokens.addAll(byToken.keySet());
    long truthUnits = 0;
    long charged = 0;
    long correct = 0;
    int exact = 0;
    int reviewed = 0;
    long silentWrong = 0;
    long unnamed = 0;
    long missing = 0;
    List<String> mismatches = new ArrayList<>();
    Map<String, Integer> reasons = new java.util.TreeMap<>();
    Map<String, Integer> reasonsOnExact = new java.util.TreeMap<>();
    for (String token : tokens.stream().sorted().toList()) {
      Map<String, Integer> t = truth.getOrDefault(token, Map.of());
      Receipt r = byToken.get(token);
      Map<String, Integer> got = new HashMap<>();
      if (r != null) {
        for (ReceiptLine l : r.items()) {
          got.merge(l.sku(), l.qty(), Integer::sum);
        }
        if (r.needsReview()) {
          reviewed++;
          countReasons(r, reasons);
        }
      } else if (truth.containsKey(token)) {
        missing++;
      }
      long tu = t.values().stream().mapToLong(Integer::longValue).sum();
      long gu = got.values().stream().mapToLong(Integer::longValue).sum();
      long cu = 0;
      for (Map.Entry<String, Integer> e : t.entrySet()) {
        cu += Math.min(e.getValue(), got.getOrDefault(e.getKey(), 0));
      }
      truthUnits += tu;
      charged += gu;
      correct += cu;
      boolean isExact = r != null && t.equals(got);
      if (isExact) {
        exact++;
        if (r.needsReview()) {
          reasonsOnExact.merge(ANY, 1, Integer::sum);
          countReasons(r, reasonsOnExact);
        }
      } else {
        mismatches.add(token + ": expected " + new java.util.TreeMap<>(t) + " got " + new java.util.TreeMap<>(got)
            + (r != null && r.needsReview() ? " (flagged for review)" : " (NOT flagged)"));
        if (r != null && !r.needsReview()) {
          silentWrong += (gu - cu) + (tu - cu);
        }
        if (r != null) {
          unnamed += unnamedWrongUnits(r, t, got);
        }
      }
    }
    return new Score(truth.size(), byToken.size(), truthUnits, charged, correct, exact, reviewed, silentWrong, missing,
        mismatches, reasons, reasonsOnExact, unnamed);
  }

  /** A candidate product shown this unlikely does not point a reviewer at it. */
  static final double NAMED_MIN_LIKELIHOOD = 0.05;

  /** Wrong units of {@code r} (against {@code truth}) on products no review reason of it points at. */
  static long unnamedWrongUnits(Receipt r, Map<String, Integer> truth, Map<String, Integer> got) {
    Set<String> named = new HashSet<>();
    for (org.storeedge.checkout.cart.ReviewReason reason : r.reviewReasons()) {
      Set<String> skus = skusIn(reason.evidence());
      if (skus.isEmpty()) {
        return 0; // a doubt about the whole receipt
      }
      named.addAll(skus);
    }
    Set<String> skus = new HashSet<>(truth.keySet());
    skus.addAll(got.keySet());
    long n = 0;
    for (String sku : skus) {
      if (!named.contains(sku)) {
        n += Math.abs(truth.getOrDefault(sku, 0) - got.getOrDefault(sku, 0));
      }
    }
    return n;
  }

  /**
   * Every product an evidence map names: {@code sku} fields at any depth (candidates, lines), but
   * not a candidate the evidence itself gives less than {@link #NAMED_MIN_LIKELIHOOD}.
   */
  private static Set<String> skusIn(Object evidence) {
    Set<String> out = new HashSet<>();
    if (evidence instanceof Map<?, ?> m) {
      if (m.get("likelihood") instanceof Number l && l.doubleValue() < NAMED_MIN_LIKELIHOOD) {
        return out;
      }
      m.forEach((k, v) -> {
        if ("sku".equals(k) && v instanceof String sku) {
          out.add(sku);
        } else {
          out.addAll(skusIn(v));
        }
      });
    } else if (evidence instanceof java.util.Collection<?> c) {
      c.forEach(v -> out.addAll(skusIn(v)));
    }
    return out;
  }
}
