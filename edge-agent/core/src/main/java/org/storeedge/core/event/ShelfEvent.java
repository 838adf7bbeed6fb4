package org.storeedge.core.event;

import java.util.List;

/**
 * A resolved change of load on a shelf: something was taken from or put onto one or more lanes.
 *
 * @param eventId unique, stable id (shelf id + start time)
 * @param startMillis first active sample, epoch ms
 * @param endMillis first sample of the stable interval after, epoch ms
 * @param deltaGrams load after minus load before (negative: taken), summed over {@code lanes}
 * @param sigmaGrams one-sigma uncertainty of {@code deltaGrams}
 * @param lanes per-lane changes that make up this event
 * @param candidates (sku, count) explanations, most likely first, likelihoods summing to 1
 * @param confidence the first candidate's likelihood, 0..1
 */
public record ShelfEvent(
    String eventId,
    String shelfId,
    long startMillis,
    long endMillis,
    double deltaGrams,
    double sigmaGrams,
    List<LaneChange> lanes,
    List<Candidate> candidates,
    double confidence) {

  public ShelfEvent {
    lanes = List.copyOf(lanes);
    candidates = List.copyOf(candidates);
  }

  public boolean isPick() {
    return deltaGrams < 0;
  }

  /** One lane's share of the event. */
  public record LaneChange(String laneId, double deltaGrams, double sigmaGrams) {}

  /**
   * One explanation of the change: {@code count} units of {@code sku} (count &gt; 0; the sign of
   * the event says taken or returned), from or to {@code laneId}.
   */
  public record Candidate(String sku, int count, String laneId, double likelihood) {}
}
