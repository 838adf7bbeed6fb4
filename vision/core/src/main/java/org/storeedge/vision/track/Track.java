package org.storeedge.vision.track;

import org.storeedge.vision.BoundingBox;

/**
 * A confirmed track as the tracker reports it after one frame.
 *
 * @param id stable for the track's life, unique per tracker, from 1
 * @param box the filtered box (pixels) at the frame's capture time; for a LOST track, where it is
 *     predicted to be
 * @param score score of the last matched detection
 * @param state TRACKED when matched in this frame, LOST while occluded or missed
 * @param firstSeenMillis capture time of the track's first detection
 * @param lastSeenMillis capture time of its last matched detection
 * @param lastSeenBox the filtered box at {@code lastSeenMillis}
 */
public record Track(long id, BoundingBox box, float score, State state, long firstSeenMillis, long lastSeenMillis,
    BoundingBox lastSeenBox) {

  public enum State {
    TRACKED,
    LOST
  }

  public boolean visible() {
    return state == State.TRACKED;
  }
}
