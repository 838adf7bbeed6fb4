package org.storeedge.vision.interaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.storeedge.core.event.HandContact;
import org.storeedge.core.event.HandInLane;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Detection;
import org.storeedge.vision.VisionListener;
import org.storeedge.vision.geometry.Point2;
import org.storeedge.vision.geometry.Zone;
import org.storeedge.vision.track.Track;

class HandZonesTest {
  private final List<HandInLane> hands = new ArrayList<>();
  private final List<HandContact> contacts = new ArrayList<>();
  private final VisionListener listener = new VisionListener() {
    @Override
    public void onHandInLane(HandInLane h) {
      hands.add(h);
    }

    @Override
    public void onHandContact(HandContact c) {
      contacts.add(c);
    }
  };
  /** Lane a1's front spans x 100..200, y 50..150 of the image; a2's x 200..300. */
  private final HandZones zones = new HandZones("hand", 0.3, List.of(rect("a1", 100, 50, 200, 150),
      rect("a2", 200, 50, 300, 150)), 400, listener);
  private final Map<String, String> tokens = Map.of("cam:1", "tok-1", "cam:2", "tok-2");

  private static Zone rect(String id, double x1, double y1, double x2, double y2) {
    return new Zone(id, List.of(new Point2(x1, y1), new Point2(x2, y1), new Point2(x2, y2), new Point2(x1, y2)));
  }

  private static Track person(long id, double x, double y) {
    BoundingBox b = BoundingBox.ofCorners(x, y, x + 60, y + 180);
    return new Track(id, b, 0.9f, Track.State.TRACKED, 0, 0, b);
  }

  private static Detection hand(double cx, double cy, float score) {
    return new Detection("hand", score, BoundingBox.ofCentre(cx, cy, 16, 16));
  }

  private void frame(long t, List<Detection> d, List<Track> tracks) {
    zones.onFrame(t, d, tracks, id -> "cam:" + id, tokens::get);
  }

  @Test
  void aHandInALanesShelfFaceIsOneInteractionOfTheTrackHoldingIt() {
    Track p1 = person(1, 190, 40); // body right of a1's face: the arm reaches left into it
    for (long t = 0; t <= 1000; t += 100) {
      frame(t, List.of(hand(180, 100, 0.8f), new Detection("person", 0.9f, p1.box())), List.of(p1));
    }
    assertThat(hands).isEmpty(); // still in the lane
    for (long t = 1100; t <= 1600; t += 100) {
      frame(t, List.of(), List.of(p1));
    }
    assertThat(hands).singleElement().satisfies(h -> {
      assertThat(h.trackId()).isEqualTo("cam:1");
      assertThat(h.customerToken()).isEqualTo("tok-1");
      assertThat(h.laneId()).isEqualTo("a1");
      assertThat(h.fromMillis()).isZero();
      assertThat(h.toMillis()).isEqualTo(1000);
      assertThat(h.confidence()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-6));
    });
    assertThat(zones.reportedCount()).isEqualTo(1);
  }

  @Test
  void aHandNoTrackedPersonHoldsOrThatScoresTooLowCountsForNothing() {
    Track far = person(1, 600, 40);
    frame(0, List.of(hand(150, 100, 0.9f), hand(620, 100, 0.1f)), List.of(far));
    frame(1000, List.of(), List.of(far));
    assertThat(hands).isEmpty();
    assertThat(zones.unassignedCount()).isEqualTo(1);
  }

  @Test
  void aHandGoesToTheNearestOfTwoPeopleAndEndsWhenTheTrackIsGone() {
    Track p1 = person(1, 120, 40);
    Track p2 = person(2, 240, 40);
    frame(0, List.of(hand(270, 100, 0.9f)), List.of(p1, p2));
    frame(100, List.of(hand(270, 100, 0.9f)), List.of(p1, p2));
    frame(200, List.of(), List.of(p1)); // p2 left the tracker
    assertThat(hands).singleElement().satisfies(h -> {
      assertThat(h.trackId()).isEqualTo("cam:2");
      assertThat(h.laneId()).isEqualTo("a2");
    });
  }

  @Test
  void aHandTwoPeopleCouldOwnGoesToTheNearerWithOnlyItsShareOfTheScore() {
    Track p1 = person(1, 120, 40); // box centre (150, 130)
    Track p2 = person(2, 200, 40); // box centre (230, 130); its widened box reaches back to x 170
    frame(0, List.of(hand(185, 100, 0.9f)), List.of(p1, p2));
    frame(100, List.of(hand(185, 100, 0.9f)), List.of(p1, p2));
    frame(1000, List.of(), List.of(p1, p2));
    double d1 = Math.hypot(185 - 150, 100 - 130);
    double d2 = Math.hypot(185 - 230, 100 - 130);
    assertThat(hands).singleElement().satisfies(h -> {
      assertThat(h.trackId()).isEqualTo("cam:1");
      assertThat(h.laneId()).isEqualTo("a1");
      assertThat(h.confidence()).isCloseTo(0.9 * d2 / (d1 + d2), org.assertj.core.data.Offset.offset(1e-6));
    });
    assertThat(hands.get(0).confidence()).isBetween(0.45, 0.9 * 0.6);
  }

  @Test
  void handsOfTwoPeopleMeetingAwayFromTheShelvesAreOneContactPerFiveSeconds() {
    Track p1 = person(1, 400, 200);
    Track p2 = person(2, 470, 200);
    for (long t = 0; t < 3000; t += 100) {
      frame(t, List.of(hand(462, 300, 0.9f), hand(468, 300, 0.9f)), List.of(p1, p2));
    }
    assertThat(contacts).singleElement().satisfies(c -> {
      assertThat(List.of(c.trackId(), c.otherTrackId())).containsExactlyInAnyOrder("cam:1", "cam:2");
      assertThat(List.of(c.customerToken(), c.otherCustomerToken())).containsExactlyInAnyOrder("tok-1", "tok-2");
    });
    frame(6000, List.of(hand(462, 300, 0.9f), hand(468, 300, 0.9f)), List.of(p1, p2));
    assertThat(contacts).hasSize(2);
    // the same person's two hands together are no contact
    frame(20000, List.of(hand(420, 300, 0.9f), hand(425, 300, 0.9f)), List.of(p1));
    assertThat(contacts).hasSize(2);
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> new HandZones(" ", 0.3, List.of(), 0, listener)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HandZones("hand", 2, List.of(), 0, listener)).isInstanceOf(IllegalArgumentException.class);
  }
}
