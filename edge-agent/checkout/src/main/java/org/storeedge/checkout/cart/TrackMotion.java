package org.storeedge.checkout.cart;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.storeedge.config.ShelfFronts;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.event.ShopperObservation;

/**
 * What a shopper's track says about taking from a lane: how far it stood, how fast it moved, on
 * which side of the shelf, and whether it walked off right after the lane changed. Pure functions
 * of a track's observations; {@link CheckoutEngine} weighs shoppers with them.
 */
final class TrackMotion {
  private TrackMotion() {}

  static double dist(ShopperObservation a, ShopperObservation b) {
    return Math.hypot(a.x() - b.x(), a.y() - b.y());
  }

  /** Farthest a standing shopper takes something from: a lane beyond this is out of reach. */
  static final double REACH_METERS = 1.0;

  /** Median distance to {@code p} while the lane was active, else the nearest in the wider window. */
  static double trackDistance(Deque<ShopperObservation> h, StoreConfig.Position p, long from, long to,
      long activeFrom, long activeTo) {
    return whileActive(h, p, from, to, activeFrom, activeTo, o -> dist(o, p), Double.POSITIVE_INFINITY);
  }

  /**
   * The median of {@code value} over the observations of the lane's active window, else its value
   * at the observation nearest {@code p} in the wider window [from, to], else {@code none}: the
   * taker stands at the lane for the whole interaction, a passer-by only for a moment.
   */
  static double whileActive(Deque<ShopperObservation> h, StoreConfig.Position p, long from, long to,
      long activeFrom, long activeTo, ToDoubleFunction<ShopperObservation> value, double none) {
    List<Double> during = new ArrayList<>();
    double nearest = Double.POSITIVE_INFINITY;
    double atNearest = none;
    for (ShopperObservation o : h) {
      if (o.atMillis() < from || o.atMillis() > to) {
        continue;
      }
      double v = value.applyAsDouble(o);
      if (o.atMillis() >= activeFrom && o.atMillis() <= activeTo) {
        during.add(v);
      }
      double d = dist(o, p);
      if (d < nearest) {
        nearest = d;
        atNearest = v;
      }
    }
    if (during.isEmpty()) {
      return atNearest;
    }
    during.sort(null);
    return during.get(during.size() / 2);
  }

  /**
   * How far in front of the lane the shopper stood (metres along the shelf's front normal; negative
   * behind it): the median over the active window, else the observation nearest the lane in the
   * wider window.
   */
  static double trackAhead(Deque<ShopperObservation> h, StoreConfig.Position lane, ShelfFronts.Front front,
      long from, long to, long activeFrom, long activeTo) {
    return whileActive(h, lane, from, to, activeFrom, activeTo, o -> front.ahead(lane, o.x(), o.y()), Double.NaN);
  }

  /**
   * Whether the shopper stood still within reach of the lane as it changed and had walked off soon
   * after it settled: the median position over the second before the step (and just after it),
   * every observation there within {@link #WALK_OFF_METERS} of it, is within {@link #REACH_METERS}
   * of the lane, and the median position between {@link #WALK_OFF_FROM_MILLIS} and
   * {@link #WALK_OFF_TO_MILLIS} after the lane settled lies more than {@link #WALK_OFF_METERS}
   * from it. False without two observations in each window (a lost track). Shelf events reach the
   * checkout about 2.4 s after their lanes settled (a stable window, the merge gap and the group
   * gap of the weight pipeline), so most of the window after has been seen by then.
   */
  static boolean walkedOff(Iterable<ShopperObservation> h, StoreConfig.Position lane, long step, long settled) {
    List<ShopperObservation> before = new ArrayList<>();
    List<ShopperObservation> after = new ArrayList<>();
    for (ShopperObservation o : h) {
      if (o.atMillis() >= step - WALK_OFF_BEFORE_MILLIS && o.atMillis() <= step + WALK_OFF_STEP_MILLIS) {
        before.add(o);
      } else if (o.atMillis() >= settled + WALK_OFF_FROM_MILLIS && o.atMillis() <= settled + WALK_OFF_TO_MILLIS) {
        after.add(o);
      }
    }
    if (before.size() < 2 || after.size() < 2) {
      return false;
    }
    double bx = median(before, ShopperObservation::x);
    double by = median(before, ShopperObservation::y);
    if (Math.hypot(bx - lane.x(), by - lane.y()) > REACH_METERS) {
      return false;
    }
    for (ShopperObservation o : before) {
      if (Math.hypot(o.x() - bx, o.y() - by) > WALK_OFF_METERS) {
        return false; // walking past, not standing at the lane
      }
    }
    return Math.hypot(median(after, ShopperObservation::x) - bx, median(after, ShopperObservation::y) - by)
        > WALK_OFF_METERS;
  }

  /**
   * How much likelier a shopper who walked off right after the change ({@link #walkedOff}) moved
   * the item than one who stayed. Takers reach, take and go; someone waiting for the shelf, or
   * browsing it, stays. In the simulator's traffic on five stores, of shoppers standing still
   * within reach of a lane as it changed, 57-66 % of the takers were gone 3 s after the hand left
   * and 20-26 % of the others: likelihood ratios 2.2-3.2 gone, 0.44-0.58 stayed
   * ({@code scripts/WalkOffStats.java}; docs/benchmarks.md, "Who walked off right after").
   */
  static final double WALKED_OFF_FACTOR = 4;

  static final double WALK_OFF_METERS = 0.3;

  static final long WALK_OFF_BEFORE_MILLIS = 1000;

  static final long WALK_OFF_STEP_MILLIS = 300;

  static final long WALK_OFF_FROM_MILLIS = 500;

  static final long WALK_OFF_TO_MILLIS = 2500;

  /** How well where a shopper stood and how it moved fit taking from a lane {@code d} metres away. */
  static double positionWeight(double d, double speed) {
    return Math.exp(-0.5 * (d / ASSOCIATION_SIGMA_METERS) * (d / ASSOCIATION_SIGMA_METERS)) * stillness(speed);
  }

  /**
   * How fast the shopper moved while the lane was active (m/s): the distance between the median
   * position of the first and of the second half of the observations in the window, over the time
   * between them. NaN with fewer than {@link #MIN_SPEED_SAMPLES} observations or a window shorter
   * than {@link #MIN_SPEED_SPAN_MILLIS}. Medians keep a single jumpy detection from looking like a
   * step.
   */
  static double trackSpeed(Iterable<ShopperObservation> h, long activeFrom, long activeTo) {
    List<ShopperObservation> in = new ArrayList<>();
    for (ShopperObservation o : h) {
      if (o.atMillis() >= activeFrom && o.atMillis() <= activeTo) {
        in.add(o);
      }
    }
    if (in.size() < MIN_SPEED_SAMPLES
        || in.get(in.size() - 1).atMillis() - in.get(0).atMillis() < MIN_SPEED_SPAN_MILLIS) {
      return Double.NaN;
    }
    int half = in.size() / 2;
    List<ShopperObservation> a = in.subList(0, half);
    List<ShopperObservation> b = in.subList(in.size() - half, in.size());
    double dt = (median(b, ShopperObservation::atMillis) - median(a, ShopperObservation::atMillis)) / 1000.0;
    if (dt <= 0) {
      return Double.NaN;
    }
    double dx = median(b, ShopperObservation::x) - median(a, ShopperObservation::x);
    double dy = median(b, ShopperObservation::y) - median(a, ShopperObservation::y);
    return Math.hypot(dx, dy) / dt;
  }

  /**
   * How fast the shopper moved while the lane was active, read over at least
   * {@link #SPEED_WINDOW_MILLIS} centred on the active window. A grab can keep a lane active for
   * half a second; over so few observations the position noise of a shopper standing still reads
   * as a step (a taker who had stood 9 s read 0.28 m/s), which costs it the weight of standing and
   * its place among those standing at a crowded shelf.
   */
  static double speedAround(Iterable<ShopperObservation> h, long activeFrom, long activeTo) {
    long mid = activeFrom + (activeTo - activeFrom) / 2;
    long half = SPEED_WINDOW_MILLIS / 2;
    return trackSpeed(h, Math.min(activeFrom, mid - half), Math.max(activeTo, mid + half));
  }

  /** Shortest span a candidate's speed at a lane change is read over (see {@link #speedAround}). */
  static final long SPEED_WINDOW_MILLIS = 2000;

  static double median(List<ShopperObservation> l, ToDoubleFunction<ShopperObservation> f) {
    double[] v = l.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static final int MIN_SPEED_SAMPLES = 4;

  static final long MIN_SPEED_SPAN_MILLIS = 600;

  /**
   * Weight of a shopper moving at {@code speed} m/s while the lane changed: a hand reaching into a
   * shelf needs its body to stop for a moment, so a shopper walking on is an unlikely taker. Up to
   * {@link #STILL_SPEED} (sway, a lean, tracking noise) counts as standing; beyond it the weight
   * falls as a Gaussian of {@link #STILL_SPEED_SIGMA}, never below {@link #MIN_STILLNESS} (a grab in
   * passing is rarer than one standing, yet people in a hurry do it). Unknown speed: 1.
   */
  static double stillness(double speed) {
    if (Double.isNaN(speed) || speed <= STILL_SPEED) {
      return 1;
    }
    double z = (speed - STILL_SPEED) / STILL_SPEED_SIGMA;
    return Math.max(MIN_STILLNESS, Math.exp(-0.5 * z * z));
  }

  static final double STILL_SPEED = 0.1;

  static final double STILL_SPEED_SIGMA = 0.15;

  /**
   * The weight of a walking shopper. At 0.05 a shopper who took in passing (walking along the shelf
   * at 0.5-0.7 m/s, simulated hurried shoppers) was all but ruled out beside someone standing at
   * the next lane: with positions alone a suite scenario of that (taken-in-passing) came out at F1
   * 0.44 and busy traffic with hurried shoppers had a silent wrong unit. 0.15 takes F1 to 0.56 and
   * the silent unit away, and over the suite and the nine example stores gives one silent wrong
   * unit fewer with positions alone and two with hands, for 0.2-0.8 points more review
   * (docs/benchmarks.md, "Shoppers in a hurry").
   */
  static final double MIN_STILLNESS = 0.15;

  /** Spread of a shopper's position around the spot where they stand to reach a lane, metres. */
  static final double ASSOCIATION_SIGMA_METERS = 0.35;

  static double dist(ShopperObservation o, StoreConfig.Position p) {
    return Math.hypot(o.x() - p.x(), o.y() - p.y());
  }
}
