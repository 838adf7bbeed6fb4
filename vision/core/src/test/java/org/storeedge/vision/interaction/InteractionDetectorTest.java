package org.storeedge.vision.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.storeedge.core.event.GateEvent;
import org.storeedge.core.event.ShopperObservation;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.VisionListener;
import org.storeedge.vision.geometry.CameraCalibration;
import org.storeedge.vision.geometry.Homography;
import org.storeedge.vision.geometry.LaneZones;
import org.storeedge.vision.geometry.Stores;
import org.storeedge.vision.geometry.Zone;
import org.storeedge.vision.track.Track;

class InteractionDetectorTest {
  // 100 px per metre, image y = floor y: a person's feet at pixel (100x, 100y)
  private final CameraCalibration cal = new CameraCalibration("cam1", Homography.of(0.01, 0, 0, 0, 0.01, 0, 0, 0, 1));
  private final List<Zone> zones = LaneZones.defaults().build(Stores.twoShelves());
  private final Recorder rec = new Recorder();

  static final class Recorder implements VisionListener {
    final List<ShopperObservation> observations = new ArrayList<>();
    final List<ZoneInteraction> started = new ArrayList<>();
    final List<ZoneInteraction> ended = new ArrayList<>();

    @Override
    public void onObservation(ShopperObservation o) {
      observations.add(o);
    }

    @Override
    public void onInteractionStarted(ZoneInteraction i) {
      started.add(i);
    }

    @Override
    public void onInteractionEnded(ZoneInteraction i) {
      ended.add(i);
    }
  }

  private static Track at(long id, double x, double y, long t, Track.State state) {
    BoundingBox b = BoundingBox.ofCorners(x * 100 - 25, y * 100 - 170, x * 100 + 25, y * 100);
    return new Track(id, b, 0.9f, state, 0, t, b);
  }

  private static Track at(long id, double x, double y, long t) {
    return at(id, x, y, t, Track.State.TRACKED);
  }

  @Test
  void standingInALaneZoneLongEnoughIsAnInteraction() {
    InteractionDetector d = new InteractionDetector(cal, zones, new InteractionSettings(700, 400), null, rec);
    long t = 0;
    for (; t <= 2000; t += 100) {
      d.onTracks(t, List.of(at(1, 1.4, 1.0, t))); // in front of lane a1
    }
    assertThat(rec.started).containsExactly(new ZoneInteraction("cam1:1", null, "a1", 0, 700));
    for (; t <= 3000; t += 100) {
      d.onTracks(t, List.of(at(1, 2.5, 3.0, t))); // walked away
    }
    assertThat(rec.ended).containsExactly(new ZoneInteraction("cam1:1", null, "a1", 0, 2000));
    assertThat(rec.observations).hasSize(31);
    assertThat(rec.observations.get(0).x()).isEqualTo(1.4, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(rec.observations.get(0).trackId()).isEqualTo("cam1:1");
  }

  @Test
  void walkingPastIsNoInteraction() {
    InteractionDetector d = new InteractionDetector(cal, zones, InteractionSettings.defaults(), null, rec);
    for (long t = 0; t <= 3000; t += 100) {
      d.onTracks(t, List.of(at(1, 1.4, 0.4 + t / 1000.0, t))); // 1 m/s along shelf a's front
    }
    assertThat(rec.started).isEmpty();
    assertThat(rec.ended).isEmpty();
  }

  @Test
  void jitterAtTheZoneEdgeDoesNotSplitAnInteraction() {
    InteractionDetector d = new InteractionDetector(cal, zones, new InteractionSettings(500, 400), null, rec);
    for (long t = 0; t <= 3000; t += 100) {
      double x = (t / 100) % 5 == 0 ? 1.95 : 1.85; // zone a1 ends at x = 1.9
      d.onTracks(t, List.of(at(1, x, 1.0, t)));
    }
    d.onTracks(3100, List.of());
    assertThat(rec.started).hasSize(1);
    assertThat(rec.ended).hasSize(1);
    assertThat(rec.ended.get(0).laneId()).isEqualTo("a1");
  }

  @Test
  void occlusionKeepsTheInteractionOpenAndRemovalEndsIt() {
    InteractionDetector d = new InteractionDetector(cal, zones, new InteractionSettings(300, 200), null, rec);
    for (long t = 0; t <= 1000; t += 100) {
      d.onTracks(t, List.of(at(1, 3.0, 1.6, t))); // lane b2
    }
    for (long t = 1100; t <= 2000; t += 100) {
      d.onTracks(t, List.of(at(1, 3.0, 1.6, t, Track.State.LOST)));
    }
    assertThat(rec.ended).isEmpty();
    assertThat(d.openInteractions()).containsExactly("cam1:1@b2");
    d.onTracks(2100, List.of()); // tracker gave up on it
    assertThat(rec.ended).containsExactly(new ZoneInteraction("cam1:1", null, "b2", 0, 1000));
    assertThat(d.openInteractions()).isEmpty();
  }

  @Test
  void observationsAndInteractionsCarryTheTokenBoundAtTheGate() {
    TokenBinder binder = new TokenBinder(Stores.twoShelves().gates());
    InteractionDetector d = new InteractionDetector(cal, zones, new InteractionSettings(300, 200), binder, rec);
    d.onTracks(0, List.of(at(1, 0.5, 3.8, 0), at(2, 3.0, 1.0, 0)));
    binder.onGateEvent(new GateEvent("entrance", GateEvent.Direction.ENTER, "tok-42", 50));
    d.onTracks(100, List.of(at(1, 0.5, 3.8, 100), at(2, 3.0, 1.0, 100)));
    // shopper 1 walks to lane a2, stays
    for (long t = 200; t <= 1500; t += 100) {
      d.onTracks(t, List.of(at(1, 1.4, 1.6, t), at(2, 3.0, 1.0, t)));
    }
    assertThat(rec.started).extracting(ZoneInteraction::trackId, ZoneInteraction::customerToken, ZoneInteraction::laneId)
        .contains(org.assertj.core.groups.Tuple.tuple("cam1:1", "tok-42", "a2"),
            org.assertj.core.groups.Tuple.tuple("cam1:2", null, "b1"));
    assertThat(rec.observations).filteredOn(o -> o.atMillis() == 1500 && o.trackId().equals("cam1:1"))
        .singleElement().extracting(ShopperObservation::customerToken).isEqualTo("tok-42");
    d.onTracks(1600, List.of(at(2, 3.0, 1.0, 1600)));
    assertThat(binder.tokenOf("cam1:1")).isNull(); // binding ended with the track
  }

  @Test
  void aThrowingListenerIsCountedAndDoesNotStopTheOthers() {
    VisionListener bad = new VisionListener() {
      @Override
      public void onObservation(ShopperObservation o) {
        throw new IllegalStateException("boom");
      }
    };
    InteractionDetector d = new InteractionDetector(cal, zones, InteractionSettings.defaults(), null, bad);
    d.onTracks(0, List.of(at(1, 1.4, 1.0, 0), at(2, 3.0, 1.0, 0)));
    assertThat(d.listenerFailureCount()).isEqualTo(2);
  }
}
