package org.storeedge.vision.interaction;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Frame;
import org.storeedge.vision.track.Appearance;
import org.storeedge.vision.track.StaticBackground;
import org.storeedge.vision.track.Track;

/**
 * What each live track looks like ({@link Appearance}), averaged over its frames, for every camera
 * of the gateway. Where a box overlaps another person's box, those pixels are left out (whose
 * colours they are is not known); a box lying mostly over another's is not sampled. Held in
 * memory only, for as long as the track lives.
 *
 * <p>Thread-safe: every camera's inference thread samples, the token carrier reads.
 */
public final class AppearanceBook {
  /** Weight of a new frame in a track's average. */
  static final double RATE = 0.2;
  /** A box sharing more than this fraction of itself with another is not sampled; less, the shared part is left out. */
  static final double MAX_SHARED = 0.5;
  /** A track not sampled for this long is forgotten. */
  static final long FORGET_MILLIS = 60_000;

  private static final class Entry {
    final float[] histogram;
    int samples;
    long lastMillis;

    Entry(float[] h, long at) {
      histogram = h.clone();
      samples = 1;
      lastMillis = at;
    }
  }

  private final Map<String, Entry> byTrack = new HashMap<>();
  private long lastPruneMillis = Long.MIN_VALUE;

  /** Samples the visible tracks of one frame; {@code keyOf} names a tracker id as the carrier does. */
  public void sample(Frame frame, List<Track> tracks, java.util.function.LongFunction<String> keyOf) {
    sample(frame, tracks, keyOf, null);
  }

  /** As {@link #sample(Frame, List, java.util.function.LongFunction)}, only pixels that differ from {@code background}. */
  public void sample(Frame frame, List<Track> tracks, java.util.function.LongFunction<String> keyOf,
      StaticBackground background) {
    List<Track> visible = tracks.stream().filter(Track::visible).toList();
    List<float[]> looks = looksApart(frame, visible.stream().map(Track::box).toList(), background);
    for (int i = 0; i < visible.size(); i++) {
      if (looks.get(i) != null) {
        add(keyOf.apply(visible.get(i).id()), looks.get(i), frame.captureMillis());
      }
    }
  }

  /** Adds one histogram of a track. */
  public synchronized void add(String trackKey, float[] h, long atMillis) {
    prune(atMillis);
    Entry e = byTrack.get(trackKey);
    if (e == null) {
      byTrack.put(trackKey, new Entry(h, atMillis));
      return;
    }
    // the first frames count equally, later ones by the running rate
    Appearance.blend(e.histogram, h, Math.max(RATE, 1.0 / (e.samples + 1)));
    e.samples++;
    e.lastMillis = Math.max(e.lastMillis, atMillis);
  }

  /** A copy of the track's average histogram, or null when it was never sampled. */
  public synchronized float[] of(String trackKey) {
    Entry e = byTrack.get(trackKey);
    return e == null ? null : e.histogram.clone();
  }

  /** Frames the track's average is made of (0 when never sampled). */
  public synchronized int samples(String trackKey) {
    Entry e = byTrack.get(trackKey);
    return e == null ? 0 : e.samples;
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
    byTrack.values().removeIf(e -> now - e.lastMillis > FORGET_MILLIS);
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
        double shared = j == i ? 0 : sharedArea(box, boxes.get(j));
        mostlyOver = shared > MAX_SHARED * box.area();
        if (shared > 0) {
          overlapping.add(boxes.get(j));
        }
      }
      out.add(mostlyOver ? null : Appearance.of(frame, box, background, overlapping));
    }
    return out;
  }

  private static double sharedArea(BoundingBox a, BoundingBox b) {
    double w = Math.min(a.right(), b.right()) - Math.max(a.x(), b.x());
    double h = Math.min(a.bottom(), b.bottom()) - Math.max(a.y(), b.y());
    return w > 0 && h > 0 ? w * h : 0;
  }

}
