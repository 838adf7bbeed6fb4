package org.storeedge.checkout.weight;

/**
 * A settled net change of load on one lane.
 *
 * @param startMillis first active sample
 * @param endMillis first sample of the stable window after
 * @param deltaGrams level after minus level before
 * @param sigmaGrams one-sigma measurement uncertainty of the delta
 * @param peakGrams largest excursion from the level before while active (hand force)
 */
public record LaneChange(String laneId, long startMillis, long endMillis, double deltaGrams, double sigmaGrams,
    double peakGrams) {}
