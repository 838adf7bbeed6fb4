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

  /**
   * One lane's share of the event, with the lane's own active window (an event of a shelf may
   * merge two shoppers' interactions with two of its lanes).
   *
   * @param startMillis first active sample of this lane, epoch ms
   * @param endMillis first sample of this lane's stable interval after, epoch ms
   */
  /** When {@code lc}'s lane began to change: its own window when timed, else the event's. */
  public long startOf(LaneChange lc) {
    return lc.timed() ? lc.startMillis() : startMillis;
  }

  /** When {@code lc}'s lane settled: its own window when timed, else the event's. */
  public long endOf(LaneChange lc) {
    return lc.timed() ? lc.endMillis() : endMillis;
  }

  public record LaneChange(String laneId, double deltaGrams, double sigmaGrams, long startMillis, long endMillis) {
    /** A lane change timed like the whole event (the caller passes the event's window later). */
    public LaneChange(String laneId, double deltaGrams, double sigmaGrams) {
      this(laneId, deltaGrams, sigmaGrams, UNTIMED, UNTIMED);
    }

    /** Whether this lane's own window is known; else the event's window stands for it. */
    public boolean timed() {
      return startMillis != UNTIMED;
    }

    public static final long UNTIMED = Long.MIN_VALUE;
  }

  /**
   * One explanation of the change: {@code count} units of {@code sku} (count &gt; 0; the sign of
   * the event says taken or returned), from or to {@code laneId}.
   */
  public record Candidate(String sku, int count, String laneId, double likelihood) {}
}
