package org.storeedge.checkout.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.storeedge.core.event.ShopperObservation;

/** The two small measures the checkout's association and hand-off rules rest on. */
class MotionAndMeetingsTest {
  private static Deque<ShopperObservation> track(Random r, double vx, double noise, int samples) {
    Deque<ShopperObservation> h = new ArrayDeque<>();
    for (int i = 0; i < samples; i++) {
      long t = i * 200L;
      h.add(new ShopperObservation("t", "tok", 2 + vx * t / 1000.0 + noise * r.nextGaussian(), 3 + noise * r.nextGaussian(),
          t, 1.0));
    }
    return h;
  }

  @Test
  void speedOverAWindowSeparatesStandingFromWalkingDespitePositionNoise() {
    Random r = new Random(11);
    int standingSlow = 0;
    int walkingFast = 0;
    for (int trial = 0; trial < 200; trial++) {
      // 7 cm of noise per axis at 5 Hz over a 1.6 s window, as the simulator's tracked positions
      double standing = TrackMotion.trackSpeed(track(r, 0, 0.07, 9), 0, 1600);
      double walking = TrackMotion.trackSpeed(track(r, 0.8, 0.07, 9), 0, 1600);
      standingSlow += standing <= 0.2 ? 1 : 0;
      walkingFast += walking >= 0.5 ? 1 : 0;
    }
    assertThat(standingSlow).isGreaterThan(180);
    assertThat(walkingFast).isGreaterThan(190);
    // without noise the estimate is the speed
    assertThat(TrackMotion.trackSpeed(track(r, 0.5, 0, 9), 0, 1600)).isCloseTo(0.5, within(1e-9));
    // too few observations or too short a window: unknown
    assertThat(TrackMotion.trackSpeed(track(r, 0.5, 0, 3), 0, 1600)).isNaN();
    assertThat(TrackMotion.trackSpeed(track(r, 0.5, 0, 9), 0, 400)).isNaN();
  }

  @Test
  void stillnessWeighsStandingAsOneAndWalkingDownToItsFloor() {
    assertThat(TrackMotion.stillness(Double.NaN)).isEqualTo(1);
    assertThat(TrackMotion.stillness(0.05)).isEqualTo(1);
    assertThat(TrackMotion.stillness(0.25)).isBetween(0.5, 0.7);
    assertThat(TrackMotion.stillness(1.2)).isEqualTo(0.15);
  }

  @Test
  void theLongestStretchWithoutShelfActivityMatchesAMillisecondByMillisecondCount() {
    Random r = new Random(5);
    for (int trial = 0; trial < 300; trial++) {
      long from = r.nextInt(5000);
      long to = from + r.nextInt(8000);
      List<long[]> a = windows(r);
      List<long[]> b = windows(r);
      long[] got = CheckoutEngine.longestFree(from, to, a, b);
      // brute force: every millisecond not within 500 ms of a window
      long best = 0;
      long run = 0;
      for (long t = from; t < to; t++) {
        boolean busy = false;
        for (List<long[]> l : List.of(a, b)) {
          for (long[] w : l) {
            busy |= t >= w[0] - 500 && t < w[1] + 500;
          }
        }
        run = busy ? 0 : run + 1;
        best = Math.max(best, run);
      }
      assertThat(got[1] - got[0]).as("trial %d", trial).isEqualTo(best);
      assertThat(got[0]).isGreaterThanOrEqualTo(from);
      assertThat(got[1]).isLessThanOrEqualTo(to);
    }
  }

  private static List<long[]> windows(Random r) {
    List<long[]> out = new ArrayList<>();
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      long s = r.nextInt(14_000);
      out.add(new long[] {s, s + 200 + r.nextInt(2500)});
    }
    return out;
  }
}
