package org.storeedge.vision.interaction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.storeedge.core.event.ShopperObservation;
import org.storeedge.vision.Detection;
import org.storeedge.vision.Frame;
import org.storeedge.vision.VisionListener;
import org.storeedge.vision.geometry.CameraCalibration;
import org.storeedge.vision.geometry.Point2;
import org.storeedge.vision.geometry.Zone;
import org.storeedge.vision.track.ByteTracker;
import org.storeedge.vision.track.StaticBackground;
import org.storeedge.vision.track.Track;

/**
 * Turns one camera's tracks into floor positions and lane-zone interactions.
 *
 * <p>Per processed frame: each visible track's foot point (box bottom-centre) goes through the
 * camera's homography to the floor; a {@link ShopperObservation} is emitted with the track's
 * bound token. A track whose foot stays in a zone for {@code minDwellMillis} starts an
 * interaction; seen outside it for longer than {@code exitGraceMillis}, or gone from the
 * tracker, ends it. A LOST (occluded) track keeps its interactions open until it reappears or
 * is removed.
 *
 * <p>Track ids are {@code cameraId:trackerId}. Not thread-safe: the camera's inference thread
 * calls {@link #onTracks}.
 */
public final class InteractionDetector {
  private static final System.Logger LOG = System.getLogger(InteractionDetector.class.getName());

  private final CameraCalibration calibration;
  private final List<Zone> zones;
  private final InteractionSettings settings;
  private final TokenBinder binder;
  private final VisionListener listener;
  private final Map<String, Map<String, Stay>> staysByTrack = new HashMap<>();
  private final Set<String> liveTracks = new HashSet<>();
  private long unprojectable;
  private long listenerFailures;
  private long started;
  private long ended;

  private static final class Stay {
    final long enteredMillis;
    long lastInsideMillis;
    boolean open;

    Stay(long at) {
      enteredMillis = at;
      lastInsideMillis = at;
    }
  }

  /** {@code binder} may be null when no gate is watched (observations then carry no token). */
  public InteractionDetector(CameraCalibration calibration, List<Zone> zones, InteractionSettings settings,
      TokenBinder binder, VisionListener listener) {
    this.calibration = calibration;
    this.zones = List.copyOf(zones);
    this.settings = settings;
    this.binder = binder;
    this.listener = listener;
  }

  private HandZones hands;

  /** Also follows hands (a model with a hand class); see {@link HandZones}. Returns this. */
  public InteractionDetector withHands(HandZones hands) {
    this.hands = hands;
    return this;
  }

  /**
   * All detections of the frame whose tracks {@link #onTracks} just got: hands among them are
   * placed in shelf faces and given to tracks. A no-op without {@link #withHands}.
   */
  public void onDetections(long captureMillis, List<Detection> detections, List<Track> tracks) {
    if (hands != null) {
      hands.onFrame(captureMillis, detections, tracks, this::trackKey,
          key -> binder == null ? null : binder.tokenOf(key));
    }
  }

  private AppearanceBook appearances;
  private final StaticBackground background = new StaticBackground();

  /** Also reads what each person looks like, for the tracker and into {@code book} (see {@link AppearanceBook}). Returns this. */
  public InteractionDetector withAppearances(AppearanceBook book) {
    this.appearances = book;
    return this;
  }

  /**
   * The frame whose tracks {@link #onTracks} is about to get, and the tracker that gave them: what
   * each visible track looks like, as the tracker keeps it, goes into the book for the token
   * carrier, and the camera's background learns from the frame. A no-op without
   * {@link #withAppearances}.
   */
  public void onFrame(Frame frame, List<Track> tracks, ByteTracker tracker) {
    if (appearances != null) {
      appearances.put(tracks, tracker, this::trackKey, frame.captureMillis());
      background.update(frame, tracks.stream().map(Track::box).toList());
    }
  }

  /**
   * What each person detection of {@code frame} looks like against this camera's background, for
   * the tracker ({@code ByteTracker.update} with looks), without the pixels it shares with other
   * boxes; null entries for boxes lying mostly over another. Null without {@link #withAppearances}.
   */
  public List<float[]> looksOf(Frame frame, List<Detection> persons) {
    if (appearances == null) {
      return null;
    }
    return AppearanceBook.looksApart(frame, persons.stream().map(Detection::box).toList(), background);
  }

  public String trackKey(long trackerId) {
    return calibration.cameraId() + ":" + trackerId;
  }

  /** The confirmed tracks of one frame (as {@code ByteTracker.update} returns them). */
  public void onTracks(long captureMillis, List<Track> tracks) {
    Map<String, Point2> positions = new LinkedHashMap<>();
    Set<String> present = new HashSet<>();
    for (Track t : tracks) {
      String key = trackKey(t.id());
      present.add(key);
      if (!t.visible()) {
        continue;
      }
      Point2 p;
      try {
        p = calibration.footOnFloor(t.box());
      } catch (IllegalArgumentException e) {
        unprojectable++;
        continue;
      }
      if (!Double.isFinite(p.x()) || !Double.isFinite(p.y())) {
        unprojectable++;
        continue;
      }
      positions.put(key, p);
    }
    if (binder != null) {
      binder.onPositions(captureMillis, positions);
    }
    for (Map.Entry<String, Point2> e : positions.entrySet()) {
      String key = e.getKey();
      Point2 p = e.getValue();
      String token = binder == null ? null : binder.tokenOf(key);
      liveTracks.add(key);
      emit(() -> listener.onObservation(new ShopperObservation(key, token, p.x(), p.y(), captureMillis)));
      updateZones(key, token, p, captureMillis);
    }
    // tracks the tracker dropped: end their interactions and bindings
    Iterator<String> it = liveTracks.iterator();
    while (it.hasNext()) {
      String key = it.next();
      if (!present.contains(key)) {
        it.remove();
        String token = binder == null ? null : binder.tokenOf(key);
        Map<String, Stay> stays = staysByTrack.remove(key);
        if (stays != null) {
          for (Map.Entry<String, Stay> s : stays.entrySet()) {
            close(key, token, s.getKey(), s.getValue());
          }
        }
        if (binder != null) {
          binder.trackEnded(key);
        }
      }
    }
  }

  private void updateZones(String key, String token, Point2 p, long now) {
    Map<String, Stay> stays = staysByTrack.computeIfAbsent(key, k -> new LinkedHashMap<>());
    for (Zone z : zones) {
      Stay s = stays.get(z.id());
      if (z.contains(p)) {
        if (s == null) {
          s = new Stay(now);
          stays.put(z.id(), s);
        }
        s.lastInsideMillis = now;
        if (!s.open && now - s.enteredMillis >= settings.minDwellMillis()) {
          s.open = true;
          started++;
          ZoneInteraction zi = new ZoneInteraction(key, token, z.id(), s.enteredMillis, now);
          emit(() -> listener.onInteractionStarted(zi));
        }
      } else if (s != null && now - s.lastInsideMillis > settings.exitGraceMillis()) {
        stays.remove(z.id());
        close(key, token, z.id(), s);
      }
    }
  }

  private void close(String key, String token, String zoneId, Stay s) {
    if (s.open) {
      ended++;
      ZoneInteraction zi = new ZoneInteraction(key, token, zoneId, s.enteredMillis, s.lastInsideMillis);
      emit(() -> listener.onInteractionEnded(zi));
    }
  }

  private void emit(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      listenerFailures++;
      LOG.log(System.Logger.Level.WARNING, "vision listener failed: " + e, e);
    }
  }

  /** Open interactions right now, as (trackId, laneId) pairs "track@lane". */
  public List<String> openInteractions() {
    List<String> out = new ArrayList<>();
    staysByTrack.forEach((k, m) -> m.forEach((z, s) -> {
      if (s.open) {
        out.add(k + "@" + z);
      }
    }));
    return out;
  }

  public long unprojectableCount() {
    return unprojectable;
  }

  public long listenerFailureCount() {
    return listenerFailures;
  }

  public long startedCount() {
    return started;
  }

  public long endedCount() {
    return ended;
  }
}
