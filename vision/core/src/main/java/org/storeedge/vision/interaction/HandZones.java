package org.storeedge.vision.interaction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.storeedge.core.event.HandContact;
import org.storeedge.core.event.HandInLane;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Detection;
import org.storeedge.vision.VisionListener;
import org.storeedge.vision.geometry.Zone;
import org.storeedge.vision.track.Track;

/**
 * Hands in one camera's image, for a detector with a hand class: which tracked person's hand is in
 * which lane's shelf face, and when two people's hands meet away from the shelves.
 *
 * <p>Per processed frame, each hand detection (label {@link #label}, score at least
 * {@code minScore}) is given to the visible track whose box, widened by half its width on each
 * side (an arm reaches out of the body's box), holds the hand's centre, the nearest box centre
 * winning; a hand no track holds is counted and dropped. When another track's widened box holds
 * the hand too, the arm may be that person's: the hand counts for the nearer track with the share
 * {@code d_other / (d_nearer + d_other)} of its score (1 alone, down to 0.5 when both are as near). A hand whose centre lies in a lane's
 * shelf face (an image polygon, pixels) opens or extends that (track, lane) stay; a stay not seen
 * for longer than {@code exitGraceMillis}, or whose track is gone, ends and is reported as one
 * {@link HandInLane} with the mean (detection score x share) as its confidence. Two hands of different
 * tracks whose boxes overlap outside every shelf face are a {@link HandContact}, reported at most
 * once per pair every {@link #CONTACT_REPEAT_MILLIS}. Boxes do not show which way an object went,
 * so these contacts name no giver and no product.
 *
 * <p>Not thread-safe: the camera's inference thread calls {@link #onFrame}.
 */
public final class HandZones {
  /** The same two people's hands meeting again within this long is the same contact. */
  public static final long CONTACT_REPEAT_MILLIS = 5_000;
  private static final double REACH_WIDTHS = 0.5;

  private final String label;
  private final double minScore;
  private final List<Zone> shelfFaces;
  private final long exitGraceMillis;
  private final VisionListener listener;
  private final Map<String, Stay> stays = new LinkedHashMap<>();
  private final Map<String, Long> lastContact = new HashMap<>();
  private long unassigned;
  private long reported;
  private long contacts;

  private static final class Stay {
    final String trackKey;
    final String token;
    final String laneId;
    final long from;
    long last;
    double scoreSum;
    int frames;

    Stay(String trackKey, String token, String laneId, long at) {
      this.trackKey = trackKey;
      this.token = token;
      this.laneId = laneId;
      this.from = at;
      this.last = at;
    }
  }

  /**
   * @param shelfFaces one polygon per lane, in image pixels; the zone id is the lane id
   */
  public HandZones(String label, double minScore, List<Zone> shelfFaces, long exitGraceMillis, VisionListener listener) {
    if (label == null || label.isBlank()) {
      throw new IllegalArgumentException("hand label must not be blank");
    }
    if (!(minScore >= 0 && minScore <= 1) || exitGraceMillis < 0) {
      throw new IllegalArgumentException("hand minScore must be in [0, 1] and exitGraceMillis >= 0 (got: " + minScore
          + ", " + exitGraceMillis + ")");
    }
    this.label = label;
    this.minScore = minScore;
    this.shelfFaces = List.copyOf(shelfFaces);
    this.exitGraceMillis = exitGraceMillis;
    this.listener = listener;
  }

  public String label() {
    return label;
  }

  /**
   * One processed frame.
   *
   * @param detections all detections of the frame (only hands are looked at)
   * @param tracks the tracker's tracks of the same frame
   * @param keyOf the track key of a tracker id ({@code camera:id})
   * @param tokenOf the customer token bound to a track key, or null
   */
  public void onFrame(long captureMillis, List<Detection> detections, List<Track> tracks, LongFunction<String> keyOf,
      Function<String, String> tokenOf) {
    Map<String, Boolean> live = new HashMap<>();
    for (Track t : tracks) {
      live.put(keyOf.apply(t.id()), Boolean.TRUE);
    }
    List<BoundingBox> freeHands = new ArrayList<>();
    List<String> freeOwners = new ArrayList<>();
    for (Detection d : detections) {
      if (!d.label().equals(label) || d.score() < minScore) {
        continue;
      }
      Owner o = owner(d.box(), tracks);
      if (o == null) {
        unassigned++;
        continue;
      }
      String key = keyOf.apply(o.track().id());
      double cx = d.box().centreX();
      double cy = d.box().centreY();
      boolean inFace = false;
      for (Zone face : shelfFaces) {
        if (face.contains(cx, cy)) {
          inFace = true;
          Stay s = stays.computeIfAbsent(key + "@" + face.id(), k -> new Stay(key, tokenOf.apply(key), face.id(),
              captureMillis));
          s.last = captureMillis;
          s.scoreSum += d.score() * o.share();
          s.frames++;
        }
      }
      if (!inFace) {
        freeHands.add(d.box());
        freeOwners.add(key);
      }
    }
    for (int i = 0; i < freeHands.size(); i++) {
      for (int j = i + 1; j < freeHands.size(); j++) {
        String a = freeOwners.get(i);
        String b = freeOwners.get(j);
        if (a.equals(b) || freeHands.get(i).iou(freeHands.get(j)) <= 0) {
          continue;
        }
        String pair = a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
        Long before = lastContact.get(pair);
        if (before == null || captureMillis - before >= CONTACT_REPEAT_MILLIS) {
          lastContact.put(pair, captureMillis);
          contacts++;
          double c = Math.min(1, Math.max(0.01, Math.sqrt(freeHands.get(i).iou(freeHands.get(j)))));
          HandContact hc = new HandContact(a, tokenOf.apply(a), b, tokenOf.apply(b), captureMillis, c);
          emit(() -> listener.onHandContact(hc));
        }
      }
    }
    for (Iterator<Stay> it = stays.values().iterator(); it.hasNext(); ) {
      Stay s = it.next();
      if (!live.containsKey(s.trackKey) || captureMillis - s.last > exitGraceMillis) {
        it.remove();
        reported++;
        HandInLane h = new HandInLane(s.trackKey, s.token, s.laneId, s.from, s.last,
            Math.min(1, Math.max(0.01, s.scoreSum / s.frames)));
        emit(() -> listener.onHandInLane(h));
      }
    }
    lastContact.values().removeIf(at -> captureMillis - at > 10 * CONTACT_REPEAT_MILLIS);
  }

  /** The track a hand is given to, and the share of it that is surely theirs. */
  private record Owner(Track track, double share) {}

  /**
   * The visible track whose widened box holds the hand's centre, nearest first, with its share
   * against the next nearest that holds it too (1 when none does); or null.
   */
  private static Owner owner(BoundingBox hand, List<Track> tracks) {
    Track best = null;
    double bestD = Double.POSITIVE_INFINITY;
    double secondD = Double.POSITIVE_INFINITY;
    double cx = hand.centreX();
    double cy = hand.centreY();
    for (Track t : tracks) {
      if (!t.visible()) {
        continue;
      }
      BoundingBox b = t.box();
      double reach = REACH_WIDTHS * b.w();
      if (cx < b.x() - reach || cx > b.x() + b.w() + reach || cy < b.y() || cy > b.y() + b.h()) {
        continue;
      }
      double d = Math.hypot(cx - b.centreX(), cy - b.centreY());
      if (d < bestD) {
        secondD = bestD;
        bestD = d;
        best = t;
      } else if (d < secondD) {
        secondD = d;
      }
    }
    if (best == null) {
      return null;
    }
    double share = Double.isInfinite(secondD) || bestD + secondD <= 0 ? 1 : secondD / (bestD + secondD);
    return new Owner(best, share);
  }

  private void emit(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      System.getLogger(HandZones.class.getName()).log(System.Logger.Level.WARNING, "vision listener failed: " + e, e);
    }
  }

  /** Hands no tracked person held (dropped). */
  public long unassignedCount() {
    return unassigned;
  }

  /** Hand-in-lane stays reported so far. */
  public long reportedCount() {
    return reported;
  }

  public long contactCount() {
    return contacts;
  }
}
