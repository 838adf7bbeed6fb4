package org.storeedge.checkout.cart;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.storeedge.checkout.weight.WeightModel;
import org.storeedge.config.StoreConfig;

/**
 * An item put on a lane and another taken off it within one activity: the load cell then settles
 * at the difference (a 9.3 kg six-pack of still water put on the sparkling lane while a 9.35 kg
 * sparkling six-pack is taken reads -50 g, which weighs like a pack of gum), and only how far the
 * load went past the levels before and after (the overshoot: about the lighter of the two
 * movements, plus a hand's force) shows both.
 *
 * <p>Weighs two kinds of explanation against each other. One-way: the net change is what moved
 * (nothing, a pick of what the lane holds, or a return from a nearby cart), and the overshoot was
 * a hand ({@link #HAND_OVERSHOOT_GRAMS} typical) or now and then an elbow or a lean (anything up to
 * {@link #LEAN_RANGE_GRAMS}, but only above the levels: load below both is an item taken off
 * first, or units of the lane lifted and put straight back ({@link #LIFT_RETURN_SHARE})).
 * Two-way: {@code m} units of a product one of the nearby shoppers carries were put on and
 * {@code k} units of a product the lane holds taken off, so that the net is
 * {@code m * w(X) - k * w(Y)} and the overshoot about {@code min(m * w(X), k * w(Y))}.
 * Pure arithmetic over what it is given: no state.
 */
final class TwoWayActivity {
  /** A hand's wobble and press over a lane: an exponential tail of about this mean, grams. */
  static final double HAND_OVERSHOOT_GRAMS = 40;
  /** Share of activities with an elbow or a lean, whose load is anything up to {@link #LEAN_RANGE_GRAMS}. */
  static final double LEAN_SHARE = 0.05;
  static final double LEAN_RANGE_GRAMS = 3000;
  /** Share of activities where a hand lifts the lane's tray or pulls on the shelf (load below both levels). */
  static final double LIFT_SHARE = 0.002;
  /**
   * Share of activities where a shopper lifts units of the lane and puts them straight back (load
   * below both levels by their weight), as common as a put and a take ({@link #TWO_WAY_PRIOR}).
   */
  static final double LIFT_RETURN_SHARE = 0.05;
  /** Prior share of activities with a put and a take on one lane (a swap, two shoppers' hands). */
  static final double TWO_WAY_PRIOR = 0.05;
  /** The overshoot measures the lighter movement only roughly: a hand rides on it. */
  static final double OVERSHOOT_SD_GRAMS = 40;
  static final double OVERSHOOT_REL_SD = 0.1;
  /** Outlier density for a net change nothing explains: one over a 5 kg range. */
  static final double OUTLIER_DENSITY = 1.0 / 5000.0;
  static final double OUTLIER_PRIOR = 0.002;
  /** Several units in one movement are less likely than one (as the weight model's count prior). */
  static final double COUNT_DECAY = 0.45;
  /** Most units of one product in one movement: six singles for a six-pack (3 missed that swap). */
  static final int MAX_UNITS = 6;
  /** Most units of a restock weighed as part of two-way activity. */
  static final int MAX_RESTOCK_UNITS = 24;
  /** Prior share of a pick of a product the lane is not known to hold. */
  static final double STRAY_PICK_PRIOR = 0.03;

  /**
   * A shopper near the lane who may have put something on it, with what they carry and, where the
   * units were weighed when taken, their grams.
   */
  record Holder(String token, double probability, Map<String, Integer> carried, Map<String, double[]> weighed,
      boolean restocks) {
    Holder(String token, double probability, Map<String, Integer> carried) {
      this(token, probability, carried, Map.of(), false);
    }

    Holder(String token, double probability, Map<String, Integer> carried, Map<String, double[]> weighed) {
      this(token, probability, carried, weighed, false);
    }

    /**
     * A member of staff at the lane, who may restock it: any number (up to {@code units}, at most
     * {@link #MAX_RESTOCK_UNITS}) of the lane's planned product, from outside the carts, every count
     * as likely as another.
     */
    static Holder restocking(String token, double probability, String plannedSku, int units) {
      return new Holder(token, probability, Map.of(plannedSku, Math.min(units, MAX_RESTOCK_UNITS)), Map.of(), true);
    }

    /** Most units a put by this holder may be, and the prior of {@code m} of them. */
    int maxPut(int held) {
      return restocks ? held : Math.min(MAX_UNITS, held);
    }

    double putPrior(int m, int held) {
      return restocks ? 1.0 / held : countPrior(m);
    }

    /** Grams of one unit of {@code p} this shopper holds, and its spread: as weighed, else the catalog's. */
    double[] unit(StoreConfig.Product p) {
      double[] w = weighed.get(p.sku());
      if (w == null || w.length == 0) {
        return new double[] {p.unitWeightGrams(), p.weightSpreadGrams()};
      }
      double[] mv = WeightModel.meanAndVariance(w);
      // a unit weighed again reads within about 1.2 % (placement on the cell)
      return new double[] {mv[0], Math.sqrt(mv[1] + sq(WeightModel.MEASURED_UNIT_REL_SD * mv[0]))};
    }
  }


  /**
   * {@code putCount} x {@code putSku} from {@code holder}'s cart put on the lane and
   * {@code takeCount} x {@code takeSku} taken off it; {@code probability} among all explanations.
   */
  record Swap(String holder, String putSku, int putCount, String takeSku, int takeCount, double probability) {}

  /**
   * @param twoWayProbability how likely the activity was two-way at all
   * @param swaps the two-way explanations, most likely first (probabilities among all explanations)
   */
  record Result(double twoWayProbability, List<Swap> swaps) {
    Swap best() {
      return swaps.isEmpty() ? null : swaps.get(0);
    }
  }

  private final Map<String, StoreConfig.Product> products;

  TwoWayActivity(Map<String, StoreConfig.Product> products) {
    this.products = products;
  }

  /**
   * @param deltaGrams net change of the lane (after minus before)
   * @param sigmaGrams its one-sigma uncertainty
   * @param overshootGrams how far the load went past both levels while the lane was active:
   *     positive above them, negative below them
   * @param laneContents what the lane is known to hold (sku to units)
   * @param holders the shoppers near the lane (probabilities of having been there, summing to at most 1)
   */
  Result explain(double deltaGrams, double sigmaGrams, double overshootGrams, Map<String, Integer> laneContents,
      List<Holder> holders) {
    double over = Math.abs(overshootGrams);
    double laneTotal = laneContents.values().stream().mapToInt(Integer::intValue).sum();
    // one-way: nothing moved, a pick of what the lane holds, or a return from a nearby cart
    double oneWay = gauss(deltaGrams, 0, sigmaGrams);
    double pick = 0;
    for (Map.Entry<String, Integer> y : laneContents.entrySet()) {
      StoreConfig.Product p = products.get(y.getKey());
      if (p == null || y.getValue() <= 0) {
        continue;
      }
      for (int k = 1; k <= MAX_UNITS; k++) {
        pick += y.getValue() / laneTotal * countPrior(k) * gauss(-deltaGrams, k * p.unitWeightGrams(),
            Math.sqrt(k * sq(p.weightSpreadGrams()) + sq(sigmaGrams)));
      }
    }
    // or a product the lane is not known to hold (an unrecorded return): what the weight pipeline
    // allows for too, shared over the catalog
    double stray = 0;
    for (StoreConfig.Product p : products.values()) {
      for (int k = 1; k <= MAX_UNITS; k++) {
        stray += countPrior(k) * gauss(-deltaGrams, k * p.unitWeightGrams(),
            Math.sqrt(k * sq(p.weightSpreadGrams()) + sq(sigmaGrams)));
      }
    }
    pick = (1 - STRAY_PICK_PRIOR) * pick + STRAY_PICK_PRIOR * stray / Math.max(1, products.size());
    List<Held> held = held(holders);
    double put = 0;
    for (Held x : held) {
      for (int m = 1; m <= x.holder().maxPut(x.count()); m++) {
        put += x.holder().probability() * x.share() * x.holder().putPrior(m, x.count()) * gauss(deltaGrams, m * x.unit()[0],
            Math.sqrt(m * sq(x.unit()[1]) + sq(sigmaGrams)));
      }
    }
    oneWay = Math.max(oneWay, Math.max(pick, put)) + OUTLIER_PRIOR * OUTLIER_DENSITY;
    // an elbow or a resting hand only ever presses: load below both levels is a hand lifting the
    // tray, or units of the lane lifted and put straight back (a label read, a mind changed)
    double leanShare = overshootGrams > 0 ? LEAN_SHARE : LIFT_SHARE;
    double liftShare = overshootGrams < 0 ? LIFT_RETURN_SHARE : 0;
    double handOrLean = (1 - leanShare - liftShare) * Math.exp(-over / HAND_OVERSHOOT_GRAMS) / HAND_OVERSHOOT_GRAMS
        + leanShare / LEAN_RANGE_GRAMS;
    double oneWayScore = (1 - TWO_WAY_PRIOR) * (oneWay * handOrLean
        + liftShare * liftedAndReturned(deltaGrams, sigmaGrams, over, laneContents, laneTotal));

    List<Swap> swaps = new ArrayList<>();
    double twoWay = 0;
    for (Held x : held) {
      for (Map.Entry<String, Integer> y : laneContents.entrySet()) {
        StoreConfig.Product py = products.get(y.getKey());
        if (py == null || y.getValue() <= 0) {
          continue;
        }
        for (int m = 1; m <= x.holder().maxPut(x.count()); m++) {
          for (int k = 1; k <= Math.min(MAX_UNITS, y.getValue()); k++) {
            double putGrams = m * x.unit()[0];
            double takeGrams = k * py.unitWeightGrams();
            double net = gauss(deltaGrams, putGrams - takeGrams, Math.sqrt(m * sq(x.unit()[1])
                + k * sq(py.weightSpreadGrams()) + sq(sigmaGrams)));
            double lighter = Math.min(putGrams, takeGrams);
            double fit = gauss(over, lighter, OVERSHOOT_SD_GRAMS + OVERSHOOT_REL_SD * lighter);
            double s = TWO_WAY_PRIOR * x.holder().probability() * x.share() * y.getValue() / laneTotal
                * x.holder().putPrior(m, x.count()) * countPrior(k) * net * fit;
            if (s > 0) {
              twoWay += s;
              swaps.add(new Swap(x.holder().token(), x.product().sku(), m, y.getKey(), k, s));
            }
          }
        }
      }
    }
    double total = oneWayScore + twoWay;
    if (total <= 0) {
      return new Result(0, List.of());
    }
    List<Swap> out = swaps.stream()
        .map(s -> new Swap(s.holder(), s.putSku(), s.putCount(), s.takeSku(), s.takeCount(), s.probability() / total))
        .sorted((a, b) -> Double.compare(b.probability(), a.probability()))
        .limit(MAX_SHOWN)
        .toList();
    return new Result(twoWay / total, out);
  }

  static final int MAX_SHOWN = 5;

  /**
   * Density of a net change of {@code deltaGrams} with the load going {@code over} grams below both
   * levels because units of what the lane holds were lifted off and put straight back: the same
   * units, so the net is nothing but where they were set down again (a unit weighed again reads
   * within about {@link WeightModel#MEASURED_UNIT_REL_SD}).
   */
  private double liftedAndReturned(double deltaGrams, double sigmaGrams, double over, Map<String, Integer> laneContents,
      double laneTotal) {
    double d = 0;
    for (Map.Entry<String, Integer> y : laneContents.entrySet()) {
      StoreConfig.Product p = products.get(y.getKey());
      if (p == null || y.getValue() <= 0) {
        continue;
      }
      for (int k = 1; k <= Math.min(MAX_UNITS, y.getValue()); k++) {
        double lifted = k * p.unitWeightGrams();
        d += y.getValue() / laneTotal * countPrior(k)
            * gauss(over, lifted, OVERSHOOT_SD_GRAMS + OVERSHOOT_REL_SD * lifted)
            * gauss(deltaGrams, 0, Math.sqrt(sq(sigmaGrams) + k * sq(WeightModel.MEASURED_UNIT_REL_SD * p.unitWeightGrams())));
      }
    }
    return d;
  }

  /** One product a nearby shopper holds: how many, its share of what they hold, one unit's grams and spread. */
  private record Held(Holder holder, StoreConfig.Product product, int count, double share, double[] unit) {}

  private List<Held> held(List<Holder> holders) {
    List<Held> out = new ArrayList<>();
    for (Holder h : holders) {
      double carried = h.carried().values().stream().mapToInt(Integer::intValue).sum();
      h.carried().forEach((sku, n) -> {
        StoreConfig.Product p = products.get(sku);
        if (p != null && n > 0) {
          out.add(new Held(h, p, n, n / carried, h.unit(p)));
        }
      });
    }
    return out;
  }

  private static double countPrior(int k) {
    return Math.pow(COUNT_DECAY, k - 1);
  }

  private static double gauss(double x, double mu, double sd) {
    return WeightModel.gauss(x, mu, sd);
  }

  private static double sq(double x) {
    return x * x;
  }
}
