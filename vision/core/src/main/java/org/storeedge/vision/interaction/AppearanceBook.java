package org.storeedge.vision.interaction;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Frame;
import org.storeedge.vision.track.Appearance;
import org.storeedge.vision.track.ByteTracker;
import org.storeedge.vision.track.StaticBackground;
import org.storeedge.vision.track.Track;

/**
 * What each live track looks like ({@link Appearance}), for every camera of the gateway: the look
 * its camera's tracker keeps, averaged over the track's frames from the pixels of its own box
 * (where the box overlaps another person's box, those pixels are left out; a box lying mostly over
 * another's is not read, see {@link #looksApart}; while the boxes of two tracks meet, neither look
 * changes). Each person's look is read once per frame, for the tracker and the token carrier
 * alike. Held in memory only, for as long as the track lives.
 *
 * <p>Thread-safe: every camera's inference thread puts, the token carrier reads.
 */
public final class AppearanceBook {
  /** A box sharing more than this fraction of itself with another is not read; less, the shared part is left out. */
  static final double MAX_SHARED = 0.5;
  /** A track not seen for this long is forgotten. */
  static final long FORGET_MILLIS = 60_000;

  private record Entry(float[] histogram, int samples, long lastMillis) {}

  private final Map<String, Entry> byTrack = new HashMap<>();
  private long lastPruneMillis = Long.MIN_VALUE;

  /**
   * The looks the camera's tracker keeps for the visible {@code tracks} of the frame captured at
   * {@code atMillis}; {@code keyOf} names a tracker id as the carrier does.
   */
  public synchronized void put(List<Track> tracks, ByteTracker tracker, LongFunction<String> keyOf, long atMillis) {
    prune(atMillis);
    for (Track t : tracks) {
      float[] look = t.visible() ? tracker.lookOf(t.id()) : null; // a copy already
      if (look != null) {
        byTrack.put(keyOf.apply(t.id()), new Entry(look, tracker.lookSamples(t.id()), atMillis));
      }
    }
  }

  /** Sets a track's look, averaged over {@code samples} frames. */
  public synchronized void put(String trackKey, float[] h, int samples, long atMillis) {
    prune(atMillis);
    byTrack.put(trackKey, new Entry(h.clone(), samples, atMillis));
  }

  /** A copy of the track's average histogram, or null when none was read. */
  public synchronized float[] of(String trackKey) {
    Entry e = byTrack.get(trackKey);
    return e == null ? null : e.histogram().clone();
  }

  /** Frames the track's average is made of (0 when none was read). */
  public synchronized int samples(String trackKey) {
    Entry e = byTrack.get(trackKey);
    return e == null ? 0 : e.samples();
  }

  /** Tracks held (for memory checks). */
  public synchronized int size() {
    return byTrack.size();
  }

  private void prune(long now) {
    if (lastPruneMillis != Long.MIN_VALUE && now - lastPruneMillis < FORGET_MILLIS / 4) {
      return;
    }
    lastPruneMillis = now;
    byTrack.values().removeIf(e -> now - e.lastMillis() > FORGET_MILLIS);
  }

  /**
   * The look of each of {@code boxes} without the pixels it shares with the others; null for one
   * that shares more than {@link #MAX_SHARED} of itself with another (mostly someone else's), or
   * when too little is left.
   */
  static List<float[]> looksApart(Frame frame, List<BoundingBox> boxes, StaticBackground background) {
    List<float[]> out = new java.util.ArrayList<>(boxes.size());
    for (int i = 0; i < boxes.size(); i++) {
      BoundingBox box = boxes.get(i);
      List<BoundingBox> overlapping = new java.util.ArrayList<>();
      boolean mostlyOver = false;
      for (int j = 0; j < boxes.size() && !mostlyOver; j++) {
        double shared = j == i ? 0 : box.sharedArea(boxes.get(j));
        mostlyOver = shared > MAX_SHARED * box.area();
        if (shared > 0) {
          overlapping.add(boxes.get(j));
        }
      }
      out.add(mostlyOver ? null : Appearance.of(frame, box, background, overlapping));
    }
    return out;
  }
}
