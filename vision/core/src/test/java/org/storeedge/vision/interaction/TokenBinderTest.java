package org.storeedge.vision.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.storeedge.core.event.GateEvent;
import org.storeedge.vision.geometry.Point2;
import org.storeedge.vision.geometry.Stores;

class TokenBinderTest {
  private final TokenBinder binder = new TokenBinder(Stores.twoShelves().gates(), 1.5, 3000); // gate at (0, 4)

  private static GateEvent enter(String token, long at) {
    return new GateEvent("entrance", GateEvent.Direction.ENTER, token, at);
  }

  @Test
  void bindsTheNearestTrackToTheGate() {
    binder.onGateEvent(enter("tok-1", 1000));
    Map<String, Point2> pos = new LinkedHashMap<>();
    pos.put("c:1", new Point2(1.0, 3.5));
    pos.put("c:2", new Point2(0.3, 3.9));
    pos.put("c:3", new Point2(5, 2));
    binder.onPositions(1000, pos);
    assertThat(binder.tokenOf("c:2")).isEqualTo("tok-1");
    assertThat(binder.trackOf("tok-1")).isEqualTo("c:2");
    assertThat(binder.tokenOf("c:1")).isNull();
    // the binding stays wherever the track goes
    binder.onPositions(5000, Map.of("c:2", new Point2(8, 1)));
    assertThat(binder.tokenOf("c:2")).isEqualTo("tok-1");
  }

  @Test
  void twoCheckInsGoToTwoDifferentTracks() {
    binder.onGateEvent(enter("tok-1", 1000));
    binder.onGateEvent(enter("tok-2", 1100));
    binder.onPositions(1200, Map.of("c:1", new Point2(0.2, 4), "c:2", new Point2(0.8, 3.6)));
    assertThat(binder.tokenOf("c:1")).isEqualTo("tok-1");
    assertThat(binder.tokenOf("c:2")).isEqualTo("tok-2");
  }

  @Test
  void aCheckInWaitsForTheShopperToBeSeenThenExpires() {
    binder.onGateEvent(enter("tok-1", 1000));
    binder.onPositions(1500, Map.of("c:1", new Point2(5, 2))); // nobody near the gate yet
    assertThat(binder.pendingCount()).isEqualTo(1);
    binder.onPositions(2500, Map.of("c:4", new Point2(0.5, 3.5)));
    assertThat(binder.tokenOf("c:4")).isEqualTo("tok-1");

    binder.onGateEvent(enter("tok-2", 10_000));
    binder.onPositions(13_001, Map.of("c:5", new Point2(0.5, 3.5)));
    assertThat(binder.tokenOf("c:5")).isNull();
    assertThat(binder.expiredCount()).isEqualTo(1);
  }

  @Test
  void unknownGatesExitsAndBlankTokensBindNothing() {
    binder.onGateEvent(new GateEvent("side-door", GateEvent.Direction.ENTER, "tok-1", 0));
    binder.onGateEvent(enter(" ", 0));
    binder.onGateEvent(new GateEvent("entrance", GateEvent.Direction.EXIT, "tok-3", 0));
    binder.onPositions(100, Map.of("c:1", new Point2(0, 4)));
    assertThat(binder.tokenOf("c:1")).isNull();
    assertThat(binder.rejectedCount()).isEqualTo(2);
  }

  @Test
  void endingATrackReleasesItsToken() {
    binder.onGateEvent(enter("tok-1", 0));
    binder.onPositions(0, Map.of("c:1", new Point2(0, 4)));
    binder.trackEnded("c:1");
    assertThat(binder.trackOf("tok-1")).isNull();
  }
}
