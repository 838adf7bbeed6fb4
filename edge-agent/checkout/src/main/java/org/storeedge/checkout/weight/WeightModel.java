package org.storeedge.checkout.weight;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.event.ShelfEvent.Candidate;

/**
 * Which (sku, count) explains a weight change: the likelihood of |dw| under k units of sku i is
 * N(k*mu_i, sqrt(k*sigma_i^2 + sigma_dw^2)), times a prior over skus (what the lane holds, or
 * what the shopper carries for a put-back) and a count prior. An "outlier" hypothesis with a flat
 * density absorbs changes nothing explains, so the confidence of the best candidate drops when
 * the weight fits no product.
 */
public final class WeightModel {
  /** Flat density of the outlier hypothesis: one over a 5 kg range. */
  private static final double OUTLIER_DENSITY = 1.0 / 5000.0;
  private static final double OUTLIER_PRIOR = 0.002;
  private static final int MAX_COUNT = 24;
  /**
   * Prior odds of one more unit in the same grab: most grabs are of one unit, two of a kind are
   * common, three or more rare. Matters only when k units of one product weigh like fewer units
   * of another (3 x 94 g tissues vs one 287 g shampoo put back on their lane).
   */
  private static final double COUNT_DECAY = 0.45;

  private static final double COUNT_NORM = (1 - Math.pow(COUNT_DECAY, MAX_COUNT)) / (1 - COUNT_DECAY);

  /**
   * Relative spread of a unit's weight measured twice (taken, then returned; put on a lane, then
   * taken again): placement off-centre on the load cell changes a reading by up to about 1-2 %.
   */
  public static final double MEASURED_UNIT_REL_SD = 0.012;

  private final Map<String, StoreConfig.Product> products;

  public WeightModel(Map<String, StoreConfig.Product> productsBySku) {
    this.products = Map.copyOf(productsBySku);
  }

  /**
   * Scores explanations of {@code absGrams} (&gt; 0) with the given sku prior weights (need not
   * sum to 1; skus absent from the map are not considered) and per-sku count limits.
   *
   * @param maxCounts optional upper bound of units per sku (e.g. what the shopper holds), null for
   *     no bound
   * @return candidates, best first, likelihoods normalised over candidates plus the outlier, at
   *     most {@code limit}
   */
  public List<Candidate> explain(String laneId, double absGrams, double sigmaGrams, Map<String, Double> skuPrior,
      Map<String, Integer> maxCounts, int limit) {
    return explain(laneId, absGrams, sigmaGrams, skuPrior, maxCounts, Map.of(), 0, limit);
  }

  /**
   * As above, with the weights of the very units in question where they were measured (e.g. when
   * the shopper took them): {@code measuredUnits} maps a sku to the grams of each unit held, and a
   * measured unit is expected back within {@code measuredRelSd} of its weight (placement on the
   * cell changes a reading by 1-2 %). The likelihood then mixes the measured units (80 %) with the
   * catalog's spread (20 %, in case a measurement was off).
   */
  public List<Candidate> explain(String laneId, double absGrams, double sigmaGrams, Map<String, Double> skuPrior,
      Map<String, Integer> maxCounts, Map<String, double[]> measuredUnits, double measuredRelSd, int limit) {
    List<Candidate> all = new ArrayList<>();
    double priorSum = skuPrior.values().stream().mapToDouble(Double::doubleValue).sum();
    if (priorSum <= 0) {
      return List.of();
    }
    double total = OUTLIER_PRIOR * OUTLIER_DENSITY;
    for (Map.Entry<String, Double> e : skuPrior.entrySet()) {
      StoreConfig.Product p = products.get(e.getKey());
      if (p == null || e.getValue() <= 0) {
        continue;
      }
      double[] units = measuredUnits.get(p.sku());
      int kMax = (int) Math.min(MAX_COUNT, Math.ceil((absGrams + 5 * sigmaGrams) / p.unitWeightGrams()) + 1);
      if (maxCounts != null) {
        kMax = Math.min(kMax, maxCounts.getOrDefault(p.sku(), 0));
      }
      for (int k = 1; k <= kMax; k++) {
        double catalog = gauss(absGrams, k * p.unitWeightGrams(),
            Math.sqrt(k * p.weightSpreadGrams() * p.weightSpreadGrams() + sigmaGrams * sigmaGrams));
        double density = catalog;
        if (units != null && units.length > 0) {
          density = 0.2 * catalog + 0.8 * measuredDensity(absGrams, units, k, measuredRelSd, sigmaGrams);
        }
        double prior = (1 - OUTLIER_PRIOR) * (e.getValue() / priorSum) * Math.pow(COUNT_DECAY, k - 1) / COUNT_NORM;
        double score = density * prior;
        if (score <= 0) {
          continue;
        }
        total += score;
        all.add(new Candidate(p.sku(), k, laneId, score));
      }
    }
    final double norm = total;
    return all.stream()
        .map(c -> new Candidate(c.sku(), c.count(), c.laneId(), c.likelihood() / norm))
        .sorted(Comparator.comparingDouble(Candidate::likelihood).reversed())
        .limit(limit)
        .toList();
  }

  /**
   * Density of {@code grams} being {@code k} of the measured {@code units}: for one unit, the
   * mixture over the units; for several, a Gaussian around k times their mean with their spread.
   */
  private static double measuredDensity(double grams, double[] units, int k, double relSd, double sigmaGrams) {
    if (k == 1) {
      double sum = 0;
      for (double w : units) {
        double sd = Math.sqrt(sq(relSd * w) + sigmaGrams * sigmaGrams);
        sum += gauss(grams, w, sd);
      }
      return sum / units.length;
    }
    double[] mv = meanAndVariance(units);
    double mean = mv[0];
    double sd = Math.sqrt(k * (mv[1] + sq(relSd * mean)) + sigmaGrams * sigmaGrams);
    return gauss(grams, k * mean, sd);
  }

  /** {mean, population variance} of {@code units} (at least one). */
  public static double[] meanAndVariance(double[] units) {
    double mean = 0;
    for (double w : units) {
      mean += w;
    }
    mean /= units.length;
    double var = 0;
    for (double w : units) {
      var += sq(w - mean);
    }
    return new double[] {mean, var / units.length};
  }

  /** Normal density of {@code x} around {@code mu}; 0 beyond eight standard deviations. */
  public static double gauss(double x, double mu, double sd) {
    double z = (x - mu) / sd;
    return Math.abs(z) > 8 ? 0 : Math.exp(-0.5 * z * z) / (sd * Math.sqrt(2 * Math.PI));
  }

  private static double sq(double x) {
    return x * x;
  }
}
