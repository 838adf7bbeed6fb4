package org.storeedge.checkout.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.storeedge.checkout.TestStores;
import org.storeedge.config.StoreConfig;

class PickSpotsTest {
  private final StoreConfig store = TestStores.small();
  private final StoreConfig.Lane l1 = store.lane("l1").orElseThrow();
  private final StoreConfig.Lane l3 = store.lane("l3").orElseThrow();

  @Test
  void aShelfsSpotIsUsedOnlyOnceEnoughPicksTaughtItAndIsSharedByItsLanes() {
    PickSpots spots = new PickSpots(store);
    Random r = new Random(5);
    for (int i = 0; i < PickSpots.MIN_SAMPLES - 1; i++) {
      spots.learn("l1", 0.5 + 0.05 * r.nextGaussian(), 0.05 * r.nextGaussian());
    }
    assertThat(spots.spot(l1)).isEmpty();
    spots.learn("l2", 0.5, 0.0);
    // learnt at l1 and l2, used at l3 too: the lanes of a shelf share its front
    StoreConfig.Position p = spots.spot(l3).orElseThrow();
    assertThat(p.x()).isCloseTo(l3.position().x() + 0.5, within(0.05));
    assertThat(p.y()).isCloseTo(l3.position().y(), within(0.05));
    assertThat(spots.samples("s1")).isEqualTo(PickSpots.MIN_SAMPLES);
  }

  @Test
  void aLearntSpotIsTakenOverAfterARestartAndUnknownShelvesAreIgnored() {
    PickSpots before = new PickSpots(store);
    for (int i = 0; i < 30; i++) {
      before.learn("l2", 0.45, 0.02);
    }
    PickSpots after = new PickSpots(store);
    before.export().forEach(after::restore);
    after.restore("gone", new CheckoutSnapshot.Spot(50, 0.5, 0));
    assertThat(after.samples("s1")).isEqualTo(30);
    assertThat(after.samples("gone")).isZero();
    StoreConfig.Position p = after.spot(l1).orElseThrow();
    assertThat(p.x()).isCloseTo(l1.position().x() + 0.45, within(1e-9));
  }

  @Test
  void farOffsetsAndUnknownLanesTeachNothing() {
    PickSpots spots = new PickSpots(store);
    for (int i = 0; i < 50; i++) {
      spots.learn("l1", 1.5, 0.0);
      spots.learn("nowhere", 0.5, 0.0);
      spots.learn("l1", Double.NaN, 0.0);
    }
    assertThat(spots.samples("s1")).isZero();
    assertThat(spots.spot(l1)).isEmpty();
  }

  @Test
  void aMovedShelfIsRelearnt() {
    PickSpots spots = new PickSpots(store);
    for (int i = 0; i < PickSpots.WINDOW; i++) {
      spots.learn("l1", 0.5, 0.0);
    }
    for (int i = 0; i < 2 * PickSpots.WINDOW; i++) {
      spots.learn("l1", 0.3, 0.0);
    }
    assertThat(spots.spot(l1).orElseThrow().x()).isCloseTo(l1.position().x() + 0.3, within(0.05));
  }
}
