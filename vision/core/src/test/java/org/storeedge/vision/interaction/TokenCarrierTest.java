package org.storeedge.vision.interaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.storeedge.core.event.GateEvent;
import org.storeedge.core.event.ShopperObservation;

class TokenCarrierTest {
  private final TokenCarrier carrier = TokenCarrier.defaults(); // 0.8 m + 1 m/s, 8 s, 80 % sure
  private final AppearanceBook book = new AppearanceBook();
  /** A carrier that also weighs looks, from {@link #book}. */
  private final TokenCarrier c = TokenCarrier.defaults().withAppearances(book);

  private static ShopperObservation seen(String track, String token, double x, double y, long at) {
    return new ShopperObservation(track, token, x, y, at);
  }

  @Test
  void aNewTrackWhereTheShopperWasLostTakesOverTheToken() {
    carrier.carry(seen("cam-0:1", "tok-1", 2.0, 2.0, 1000));
    // the gate's track is lost; 2 s later a new track appears 1.5 m on (within 0.8 m + 2 s x 1 m/s)
    ShopperObservation o = carrier.carry(seen("cam-0:7", null, 3.5, 2.0, 3000));
    assertThat(o.customerToken()).isEqualTo("tok-1");
    assertThat(o.trackId()).isEqualTo("cam-0:7");
    assertThat(o.x()).isEqualTo(3.5);
    assertThat(o.identityConfidence()).as("nobody else in reach").isEqualTo(1.0);
    assertThat(carrier.handOvers()).isEqualTo(1);
    // the track keeps it wherever it goes, without another hand-over
    assertThat(carrier.carry(seen("cam-0:7", null, 9, 9, 20_000)).customerToken()).isEqualTo("tok-1");
    assertThat(carrier.handOvers()).isEqualTo(1);
    assertThat(carrier.tokenOf("cam-0:7")).isEqualTo("tok-1");
  }

  @Test
  void anotherCamerasTrackOfTheSameShopperCarriesItToo() {
    carrier.carry(seen("cam-0:1", "tok-1", 2.0, 2.0, 1000));
    assertThat(carrier.carry(seen("cam-1:4", null, 2.1, 1.9, 1100)).customerToken()).isEqualTo("tok-1");
    // both tracks stay with the token
    assertThat(carrier.carry(seen("cam-0:1", "tok-1", 2.2, 2.0, 1300)).customerToken()).isEqualTo("tok-1");
  }

  @Test
  void tooFarTooLateOrTooCloseToCallStaysWithoutAToken() {
    carrier.carry(seen("cam-0:1", "tok-1", 2.0, 2.0, 1000));
    carrier.carry(seen("cam-0:2", "tok-2", 5.0, 2.0, 1000));
    // farther than the shopper could have walked
    assertThat(carrier.carry(seen("cam-1:1", null, 2.0, 5.5, 2000)).customerToken()).isNull();
    // a shopper not seen for longer than 8 s is not taken over
    assertThat(carrier.carry(seen("cam-1:2", null, 5.0, 2.0, 9500)).customerToken()).isNull();
    // halfway between two shoppers: either could be it, so neither
    carrier.carry(seen("cam-0:1", "tok-1", 3.0, 2.0, 10_000));
    carrier.carry(seen("cam-0:2", "tok-2", 3.9, 2.0, 10_000));
    assertThat(carrier.carry(seen("cam-1:3", null, 3.45, 2.0, 10_100)).customerToken()).isNull();
    assertThat(carrier.ambiguous()).isEqualTo(1);
    assertThat(carrier.handOvers()).isZero();
    // next to one of them clearly: taken over then (the other is out of reach by now: sure)
    ShopperObservation o = carrier.carry(seen("cam-1:3", null, 3.0, 2.05, 10_050));
    assertThat(o.customerToken()).isEqualTo("tok-1");
    assertThat(o.identityConfidence()).isEqualTo(1.0);
  }

  @Test
  void aHandOverWithAnotherShopperInReachCarriesLowerIdentityConfidence() {
    carrier.carry(seen("cam-0:5", "tok-a", 6.0, 2.0, 20_000));
    carrier.carry(seen("cam-0:6", "tok-b", 6.8, 2.0, 20_000));
    ShopperObservation o = carrier.carry(seen("cam-1:9", null, 6.0, 2.0, 20_050));
    assertThat(o.customerToken()).isEqualTo("tok-a");
    assertThat(o.identityConfidence()).isEqualTo(TokenCarrier.CROWDED_HAND_OVER_IDENTITY);
    // it stays with the track; the gate-bound track stays sure
    assertThat(carrier.carry(seen("cam-1:9", null, 6.1, 2.0, 20_250)).identityConfidence())
        .isEqualTo(TokenCarrier.CROWDED_HAND_OVER_IDENTITY);
    assertThat(carrier.carry(seen("cam-0:5", "tok-a", 6.0, 2.0, 20_250)).identityConfidence()).isEqualTo(1.0);
  }

  @Test
  void aShopperSeenThereJustNowOutweighsOneSeenNearbyLongAgo() {
    carrier.carry(seen("cam-0:1", "tok-old", 2.0, 2.0, 1000));
    carrier.carry(seen("cam-0:2", "tok-now", 4.3, 2.0, 5900));
    // 0.3 m from where tok-now stands, and within what tok-old could have walked in 5 s
    ShopperObservation o = carrier.carry(seen("cam-1:5", null, 4.0, 2.0, 6000));
    assertThat(o.customerToken()).isEqualTo("tok-now");
  }

  @Test
  void aCameraAlreadyFollowingAShopperDoesNotGiveTheTokenToASecondTrack() {
    carrier.carry(seen("cam-0:1", "tok-1", 2.0, 2.0, 1000));
    // a second track in the same camera right next to it: someone else (or a duplicate box)
    assertThat(carrier.carry(seen("cam-0:2", null, 2.3, 2.0, 1200)).customerToken()).isNull();
    // another camera's track there is the same shopper
    assertThat(carrier.carry(seen("cam-1:2", null, 2.3, 2.0, 1200)).customerToken()).isEqualTo("tok-1");
  }

  @Test
  void aTrackThatTookTheTokenOverGivesItUpWhenTheShopperIsSeenElsewhereAtOnce() {
    carrier.carry(seen("cam-0:1", "tok-1", 2.0, 2.0, 1000)); // bound at the gate
    assertThat(carrier.carry(seen("cam-1:1", null, 2.1, 2.0, 1000)).customerToken()).isEqualTo("tok-1");
    // the gate's track and the other camera's track part ways: cam-1's now follows someone else
    carrier.carry(seen("cam-0:1", "tok-1", 2.0, 4.0, 3000));
    assertThat(carrier.carry(seen("cam-1:1", null, 2.0, 1.0, 3100)).customerToken()).isNull();
    assertThat(carrier.conflicts()).isEqualTo(1);
    assertThat(carrier.tokenOf("cam-1:1")).isNull();
    // the gate's track keeps it
    assertThat(carrier.carry(seen("cam-0:1", "tok-1", 2.0, 4.1, 3200)).customerToken()).isEqualTo("tok-1");
  }

  @Test
  void anExitRetiresTheToken() {
    carrier.carry(seen("cam-0:1", "tok-1", 2.0, 4.0, 1000));
    carrier.onGate(new GateEvent("exit", GateEvent.Direction.EXIT, "tok-1", 1500));
    assertThat(carrier.tokenOf("cam-0:1")).isNull();
    assertThat(carrier.carry(seen("cam-0:9", null, 2.0, 4.0, 1600)).customerToken()).isNull();
  }

  @Test
  void tracksNotSeenForAMinuteAreForgotten() {
    for (int i = 0; i < 100; i++) {
      carrier.carry(seen("cam-0:" + i, "tok-" + i, i, 0, 1000));
    }
    assertThat(carrier.size()).isEqualTo(200);
    carrier.carry(seen("cam-0:late", null, 500, 500, 1000 + TokenCarrier.FORGET_TRACK_MILLIS + 1));
    assertThat(carrier.size()).isZero();
    assertThat(carrier.tokenOf("cam-0:3")).isNull();
  }

  /** A look mostly of one colour bin, with a little of the neighbouring bins. */
  private static float[] look(int bin) {
    float[] h = new float[org.storeedge.vision.track.Appearance.SIZE];
    h[bin] = 0.8f;
    h[(bin + 1) % h.length] = 0.1f;
    h[org.storeedge.vision.track.Appearance.SIZE - 1] = 0.1f; // some dark pixels: hair, shadow
    return h;
  }

  private static final int RED = 50;
  private static final int BLUE = 20;

  /** A track with this look, averaged over enough frames to count. */
  private static void looks(AppearanceBook book, String track, int bin, long at) {
    book.put(track, look(bin), TokenCarrier.LOOK_MIN_SAMPLES, at);
  }

  /**
   * A shopper in red at x 2.0 and one in blue at {@code blueX} (y 2.0), both bound at the gate and
   * seen long enough for their looks to be learnt.
   */
  private void redAndBlue(double blueX) {
    looks(book, "cam-0:1", RED, 900);
    looks(book, "cam-0:2", BLUE, 900);
    c.carry(seen("cam-0:1", "tok-red", 2.0, 2.0, 1000));
    c.carry(seen("cam-0:2", "tok-blue", blueX, 2.0, 1000));
  }

  @Test
  void aNewTrackBetweenTwoNeighboursTakesTheTokenOfTheOneItLooksLike() {
    redAndBlue(2.6);
    // a new camera picks up someone a little nearer the red shopper, but dressed in blue
    looks(book, "cam-1:7", BLUE, 1100);
    ShopperObservation o = c.carry(seen("cam-1:7", null, 2.25, 2.0, 1150));
    assertThat(o.customerToken()).isEqualTo("tok-blue");
    // by position alone it is too close to call
    TokenCarrier blind = TokenCarrier.defaults();
    blind.carry(seen("cam-0:1", "tok-red", 2.0, 2.0, 1000));
    blind.carry(seen("cam-0:2", "tok-blue", 2.6, 2.0, 1000));
    assertThat(blind.carry(seen("cam-1:7", null, 2.25, 2.0, 1150)).customerToken()).isNull();
  }

  @Test
  void amongNeighboursANewTrackWaitsForItsLookButNotForever() {
    redAndBlue(2.7);
    // right at the red shopper, but nothing seen of it yet (its box overlaps a neighbour's)
    assertThat(c.carry(seen("cam-1:7", null, 2.0, 2.0, 1100)).customerToken()).isNull();
    c.carry(seen("cam-0:1", "tok-red", 2.0, 2.0, 2100));
    c.carry(seen("cam-0:2", "tok-blue", 2.75, 2.0, 2100));
    // a second on, still unseen: given by position as without looks
    assertThat(c.carry(seen("cam-1:7", null, 2.0, 2.0, 2100)).customerToken()).isEqualTo("tok-red");
    // alone in reach, a new track needs no look
    c.carry(seen("cam-0:2", "tok-blue", 4.0, 2.0, 2100));
    assertThat(c.carry(seen("cam-2:3", null, 4.1, 2.1, 2100)).customerToken()).isEqualTo("tok-blue");
  }

  @Test
  void aTrackThatSlipsOntoSomeoneElseLetsTheTokenGo() {
    looks(book, "cam-0:1", RED, 900);
    c.carry(seen("cam-0:1", "tok-red", 2.0, 2.0, 1000));
    looks(book, "cam-1:4", RED, 1000);
    assertThat(c.carry(seen("cam-1:4", null, 2.0, 2.1, 1100)).customerToken()).isEqualTo("tok-red");
    // the camera's tracker carries its id over to a shopper in blue
    book.put("cam-1:4", look(BLUE), 13, 1210);
    ShopperObservation o = c.carry(seen("cam-1:4", null, 2.4, 2.1, 1300));
    assertThat(o.customerToken()).isNull();
    assertThat(c.tokenOf("cam-1:4")).isNull();
    assertThat(c.lostLook()).isEqualTo(1);
    // the gate's own track does the same: the binder's token is no longer passed on
    book.put("cam-0:1", look(BLUE), 13, 1410);
    assertThat(c.carry(seen("cam-0:1", "tok-red", 2.4, 2.1, 1500)).customerToken()).isNull();
    assertThat(c.carry(seen("cam-0:1", "tok-red", 2.4, 2.1, 1700)).customerToken()).isNull();
    assertThat(c.lostLook()).isEqualTo(2);
  }

  @Test
  void ofTwoTracksCarryingOneTokenApartTheOneThatLooksLessLikeTheShopperGivesItUp() {
    looks(book, "cam-0:1", RED, 900);
    c.carry(seen("cam-0:1", "tok-red", 2.0, 2.0, 1000));
    // the gate's track is lost; two cameras pick the shopper up, the earlier one in a worse view
    float[] half = look(RED);
    for (int i = 0; i < half.length; i++) {
      half[i] = 0.5f * half[i] + 0.5f * look(BLUE)[i];
    }
    book.put("cam-1:1", half, 3, 1102);
    assertThat(c.carry(seen("cam-1:1", null, 2.2, 2.0, 1200)).customerToken()).isEqualTo("tok-red");
    looks(book, "cam-2:1", RED, 1200);
    assertThat(c.carry(seen("cam-2:1", null, 2.3, 2.0, 1300)).customerToken()).isEqualTo("tok-red");
    // they part: the later one looks like the shopper and keeps it, the earlier one gives it up
    assertThat(c.carry(seen("cam-2:1", null, 2.3, 4.0, 2000)).customerToken()).isEqualTo("tok-red");
    assertThat(c.carry(seen("cam-1:1", null, 2.2, 1.0, 2100)).customerToken()).isNull();
    assertThat(c.conflicts()).isEqualTo(1);
  }

  @Test
  void rejectsNonsenseSettings() {
    assertThatThrownBy(() -> new TokenCarrier(0, 1, 1000, 0.8)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reach");
    assertThatThrownBy(() -> new TokenCarrier(0.8, 1, 1000, 0.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probability");
  }
}
