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

  /** When {@code lc}'s lane began to change: its own window when timed, else the event's. */
  public long startOf(LaneChange lc) {
    return lc.timed() ? lc.startMillis() : startMillis;
  }

  /**
   * Whether {@code lc} is only two-way activity: the lane ended about where it began, but went an
   * item's weight past that level on the way (put on and taken off, or the other way round), so
   * there is no net change to explain and no candidate for it.
   */
  public boolean netless(LaneChange lc) {
    return lc.overshootGrams() != 0 && candidates.stream().noneMatch(c -> c.laneId().equals(lc.laneId()));
  }

  /** When {@code lc}'s lane settled: its own window when timed, else the event's. */
  public long endOf(LaneChange lc) {
    return lc.timed() ? lc.endMillis() : endMillis;
  }

  /**
   * One lane's share of the event, with the lane's own active window (an event of a shelf may
   * merge two shoppers' interactions with two of its lanes).
   *
   * @param startMillis first active sample of this lane, epoch ms
   * @param endMillis first sample of this lane's stable interval after, epoch ms
   * @param overshootGrams how far the load went past both its level before and after while the
   *     lane was active, when that is more than a hand's force: an item put on and another taken
   *     off in one activity (about the lighter of the two); positive when it went above both
   *     (put on first, or an elbow leaned on the lane), negative when below both (taken off
   *     first); 0 when there is no such sign
   * @param stepMillis when the load first came near the level it settled at, epoch ms: when the
   *     item most likely moved (a hand or an elbow may stay on the lane long after)
   * @param plateau an intermediate level the load dwelled at on its way (two movements the same
   *     way one after the other, perhaps by two shoppers), or null
   */
  public record LaneChange(String laneId, double deltaGrams, double sigmaGrams, long startMillis, long endMillis,
      double overshootGrams, long stepMillis, Plateau plateau) {
    /** A lane change with no intermediate level. */
    public LaneChange(String laneId, double deltaGrams, double sigmaGrams, long startMillis, long endMillis,
        double overshootGrams, long stepMillis) {
      this(laneId, deltaGrams, sigmaGrams, startMillis, endMillis, overshootGrams, stepMillis, null);
    }

    /** A lane change timed like the whole event (the caller passes the event's window later). */
    public LaneChange(String laneId, double deltaGrams, double sigmaGrams) {
      this(laneId, deltaGrams, sigmaGrams, UNTIMED, UNTIMED);
    }

    /** A lane change with no sign of two-way activity, whose step is not timed apart from its window. */
    public LaneChange(String laneId, double deltaGrams, double sigmaGrams, long startMillis, long endMillis) {
      this(laneId, deltaGrams, sigmaGrams, startMillis, endMillis, 0, startMillis);
    }

    /** Whether this lane's own window is known; else the event's window stands for it. */
    public boolean timed() {
      return startMillis != UNTIMED;
    }

    public static final long UNTIMED = Long.MIN_VALUE;
  }

  /**
   * A level a lane's load dwelled at between its levels before and after, from {@code fromMillis}
   * to {@code toMillis}: {@code fraction} of the lane's change had happened by then (0..1 exclusive).
   */
  public record Plateau(double fraction, long fromMillis, long toMillis) {}

  /**
   * One explanation of the change: {@code count} units of {@code sku} (count &gt; 0; the sign of
   * the event says taken or returned), from or to {@code laneId}.
   */
  public record Candidate(String sku, int count, String laneId, double likelihood) {}
}
