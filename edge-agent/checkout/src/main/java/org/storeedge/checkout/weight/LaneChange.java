package org.storeedge.checkout.weight;

import org.storeedge.core.event.ShelfEvent;

/**
 * A settled net change of load on one lane.
 *
 * @param startMillis first active sample
 * @param endMillis first sample of the stable window after
 * @param deltaGrams level after minus level before
 * @param sigmaGrams one-sigma measurement uncertainty of the delta
 * @param riseGrams how far the load rose above the level before while active (0 if never), grams
 * @param fallGrams how far the load fell below the level before while active (0 if never), grams
 * @param stepMillis when the load first came near the level it settled at: when the item most
 *     likely moved (an activity may go on long after, with a hand or an elbow still on the lane)
 * @param plateau an intermediate level the load dwelled at between the levels before and after
 *     (two movements the same way, one after the other), or null
 */
public record LaneChange(String laneId, long startMillis, long endMillis, double deltaGrams, double sigmaGrams,
    double riseGrams, double fallGrams, long stepMillis, ShelfEvent.Plateau plateau) {

  /** A change with no intermediate level. */
  public LaneChange(String laneId, long startMillis, long endMillis, double deltaGrams, double sigmaGrams,
      double riseGrams, double fallGrams, long stepMillis) {
    this(laneId, startMillis, endMillis, deltaGrams, sigmaGrams, riseGrams, fallGrams, stepMillis, null);
  }

  /** A change timed by its window only (the step taken as its start). */
  public LaneChange(String laneId, long startMillis, long endMillis, double deltaGrams, double sigmaGrams,
      double riseGrams, double fallGrams) {
    this(laneId, startMillis, endMillis, deltaGrams, sigmaGrams, riseGrams, fallGrams, startMillis, null);
  }

  /** Largest excursion from the level before while active (hand force included). */
  public double peakGrams() {
    return Math.max(riseGrams, fallGrams);
  }

  /**
   * How far the load went past the span between the levels before and after: a hand's wobble and
   * press (tens of grams), or, when an item was put on and another taken off in one activity
   * (or taken and then put), about the lighter of the two movements (put 9.3 kg, take 9.35 kg:
   * 9.3 kg above the level before, while the net is -50 g).
   */
  public double overshootGrams() {
    return Math.abs(signedOvershootGrams());
  }

  /**
   * {@link #overshootGrams}, positive when the load went above both levels (something was put on
   * first: or an elbow leaned on the lane), negative when it went below both (something was taken
   * off first, which nothing resting on a shelf does).
   */
  public double signedOvershootGrams() {
    double above = riseGrams - Math.max(0, deltaGrams);
    double below = fallGrams - Math.max(0, -deltaGrams);
    return above >= below ? above : -below;
  }
}
