package org.storeedge.checkout.cart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.event.ShopperObservation;

/** {@link TrackMotion#walkedOff}: stood still within reach as the lane changed, gone soon after it settled. */
class WalkedOffTest {
  private static final StoreConfig.Position LANE = new StoreConfig.Position(1.0, 1.0);
  private static final long STEP = 10_000;
  private static final long SETTLED = 11_000;

  /** 5 Hz positions from {@code from} to {@code to} (ms), at (x, y) until {@code moveAt}, then at (x2, y2). */
  private static List<ShopperObservation> track(long from, long to, double x, double y, long moveAt, double x2,
      double y2) {
    List<ShopperObservation> out = new ArrayList<>();
    for (long t = from; t <= to; t += 200) {
      boolean moved = t >= moveAt;
      out.add(new ShopperObservation("trk-1", "tok", moved ? x2 : x, moved ? y2 : y, t, 1.0));
    }
    return out;
  }

  @Test
  void aShopperWhoStoodAtTheLaneAndLeftRightAfterWalkedOff() {
    assertThat(TrackMotion.walkedOff(track(8_000, 14_000, 1.5, 1.0, 11_400, 3.0, 2.0), LANE, STEP, SETTLED)).isTrue();
  }

  @Test
  void aShopperWhoStaysDidNot() {
    assertThat(TrackMotion.walkedOff(track(8_000, 14_000, 1.5, 1.0, 99_000, 0, 0), LANE, STEP, SETTLED)).isFalse();
  }

  @Test
  void leavingOnlyAfterTheWindowIsNotWalkingOffRightAfter() {
    assertThat(TrackMotion.walkedOff(track(8_000, 16_000, 1.5, 1.0, SETTLED + TrackMotion.WALK_OFF_TO_MILLIS + 200,
        3.0, 2.0), LANE, STEP, SETTLED)).isFalse();
  }

  @Test
  void aPasserByWhoWasWalkingAsTheLaneChangedDidNotStandThere() {
    List<ShopperObservation> walking = new ArrayList<>();
    for (long t = 8_000; t <= 14_000; t += 200) {
      walking.add(new ShopperObservation("trk-1", "tok", 1.5, (t - 10_000) / 1000.0 + 1.0, t, 1.0)); // 1 m/s past the lane
    }
    assertThat(TrackMotion.walkedOff(walking, LANE, STEP, SETTLED)).isFalse();
  }

  @Test
  void someoneOutOfReachOrWithoutPositionsAfterIsNotCounted() {
    assertThat(TrackMotion.walkedOff(track(8_000, 14_000, 2.5, 1.0, 11_400, 4.0, 2.0), LANE, STEP, SETTLED)).isFalse();
    assertThat(TrackMotion.walkedOff(track(8_000, 11_200, 1.5, 1.0, 99_000, 0, 0), LANE, STEP, SETTLED)).isFalse();
  }
}
