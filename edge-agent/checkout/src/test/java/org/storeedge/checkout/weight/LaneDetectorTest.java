package org.storeedge.checkout.weight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LaneDetectorTest {
  private static final long DT = 12; // ~80 Hz
  private final List<LaneChange> changes = new ArrayList<>();
  private final Random rnd = new Random(11);
  private final LaneDetector d = new LaneDetector("l1", DetectorSettings.defaults(), 10, 700, changes::add);
  private long t = 1_000_000;

  /** Feeds {@code millis} of signal: level + sub-gram noise + an optional hand wobble. */
  private void feed(long millis, double level, double handGrams) {
    long end = t + millis;
    while (t < end) {
      double hand = handGrams == 0 ? 0 : handGrams * Math.sin(t / 90.0) + handGrams * 0.5;
      d.onSample(t, level + rnd.nextGaussian() * 0.1 + hand);
      t += DT;
    }
  }

  @Test
  void aPickUnderAWobblingHandIsOneChangeOfTheItemsWeight() {
    feed(3000, 5000, 0);
    feed(800, 5000, 30); // hand arrives
    feed(700, 5000 - 352, 25); // item lifted, hand still there
    feed(4000, 5000 - 352, 0);
    assertThat(changes).hasSize(1);
    LaneChange c = changes.get(0);
    assertThat(c.deltaGrams()).isCloseTo(-352, within(1.0));
    assertThat(c.sigmaGrams()).isBetween(0.1, 10.0);
    assertThat(c.peakGrams()).isGreaterThan(352);
  }

  @Test
  void theLightestProductAStoreFileMayPlaceOnALaneIsSeenComingAndGoing() {
    double unit = org.storeedge.config.ConfigSchema.MIN_LANE_UNIT_GRAMS;
    DetectorSettings s = DetectorSettings.defaults();
    // as the pipeline sets a lane's minimum change from its product
    double min = Math.max(s.floorChangeGrams(), Math.min(s.minChangeGrams(), 0.4 * unit));
    LaneDetector light = new LaneDetector("l1", s, min, 700, changes::add);
    double level = 500;
    for (int i = 0; i < 20; i++) {
      double after = level + (i % 2 == 0 ? -unit : unit);
      for (double[] phase : new double[][] {{3000, level, 0}, {800, level, 30}, {700, after, 25}}) {
        long end = t + (long) phase[0];
        while (t < end) {
          double hand = phase[2] == 0 ? 0 : phase[2] * Math.sin(t / 90.0) + phase[2] * 0.5;
          light.onSample(t, phase[1] + rnd.nextGaussian() * 0.1 + hand);
          t += DT;
        }
      }
      level = after;
    }
    for (long end = t + 4000; t < end; t += DT) {
      light.onSample(t, level + rnd.nextGaussian() * 0.1);
    }
    assertThat(changes).hasSize(20).allSatisfy(c -> assertThat(Math.abs(c.deltaGrams())).isCloseTo(unit, within(1.0)));
  }

  @Test
  void aLaneThatWeighsOtherwiseAfterARestartReportsTheChangeOverTheGap() {
    d.expectLevel(5000, 400_000);
    feed(3000, 5000 - 352, 0);
    feed(3000, 5000 - 352, 0);
    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.deltaGrams()).isCloseTo(-352, within(1.0));
      assertThat(c.startMillis()).isEqualTo(400_000);
      assertThat(c.endMillis()).isBetween(1_000_000L, 1_003_000L);
      assertThat(c.sigmaGrams()).isBetween(0.1, 10.0);
    });
  }

  @Test
  void aLaneThatWeighsTheSameAfterARestartReportsNothing() {
    d.expectLevel(5000.6, 400_000);
    feed(3000, 5000, 0);
    feed(1000, 5000, 30);
    feed(3000, 5000, 0);
    assertThat(changes).isEmpty();
  }

  @Test
  void touchingWithoutTakingReportsNothing() {
    feed(3000, 5000, 0);
    feed(1500, 5000, 40);
    feed(4000, 5000, 0);
    assertThat(changes).isEmpty();
  }

  @Test
  void bursLessThanTheMergeGapApartAreOneEvent() {
    feed(3000, 2000, 0);
    feed(500, 2000, 20);
    feed(800, 2000 - 55, 0); // settles briefly
    feed(500, 2000 - 55, 20); // hand comes back within the merge gap
    feed(4000, 2000 - 110, 0);
    assertThat(changes).hasSize(1);
    assertThat(changes.get(0).deltaGrams()).isCloseTo(-110, within(1.0));
  }

  @Test
  void separateInteractionsAreSeparateEvents() {
    feed(3000, 2000, 0);
    feed(600, 2000, 20);
    feed(4000, 2000 - 55, 0);
    feed(600, 2000 - 55, 20);
    feed(4000, 2000 + 0, 0);
    assertThat(changes).extracting(LaneChange::deltaGrams)
        .satisfiesExactly(a -> assertThat(a).isCloseTo(-55, within(1.0)), b -> assertThat(b).isCloseTo(55, within(1.0)));
  }

  @Test
  void slowDriftIsFollowedNotReported() {
    feed(3000, 3000, 0);
    // 8 g of drift over ten minutes
    for (int i = 0; i < 600; i++) {
      feed(1000, 3000 + i * 8.0 / 600, 0);
    }
    assertThat(changes).isEmpty();
    assertThat(d.level()).isCloseTo(3008, within(0.5));
  }

  @Test
  void aChangeBelowTheLaneMinimumIsIgnored() {
    feed(3000, 3000, 0);
    feed(600, 3000, 15);
    feed(4000, 3000 - 7, 0);
    assertThat(changes).isEmpty();
  }

  @Test
  void anItemPutOnWhileAnotherIsTakenOffShowsAsOvershootPastTheNet() {
    LaneDetector twoWay = new LaneDetector("d2", DetectorSettings.defaults(), 10, 100, 700, changes::add);
    long start = t;
    for (double[] step : new double[][] {{3000, 0, 0}, {400, 0, 30}, {500, 9324, 30}, {500, 9324 - 9352, 30},
        {4000, -28, 0}}) {
      long end = t + (long) step[0];
      while (t < end) {
        twoWay.onSample(t, 40_000 + step[1] + rnd.nextGaussian() * 0.5 + step[2] * Math.sin(t / 90.0));
        t += DT;
      }
    }
    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.deltaGrams()).isCloseTo(-28, within(1.5));
      assertThat(c.riseGrams()).isGreaterThan(9324);
      // past the level before by the put six-pack, while the net is a 28 g drop
      assertThat(c.overshootGrams()).isCloseTo(9324, within(60.0));
      assertThat(c.startMillis()).isGreaterThan(start);
    });
  }

  @Test
  void aTakeAndAReturnThatCancelOutAreReportedWhenAnItemsWeightWentOffAndOnAgain() {
    LaneDetector twoWay = new LaneDetector("l1", DetectorSettings.defaults(), 10, 100, 700, changes::add);
    for (double[] step : new double[][] {{3000, 0, 0}, {400, 0, 20}, {500, -352, 20}, {500, 0.5, 20}, {4000, 0.5, 0},
        // a hand pressing 60 g and letting go: no item moved either way
        {300, 0.5, 40}, {4000, 0.5, 0}}) {
      long end = t + (long) step[0];
      while (t < end) {
        twoWay.onSample(t, 4_000 + step[1] + rnd.nextGaussian() * 0.1 + step[2] * (1 + Math.sin(t / 90.0)) / 2);
        t += DT;
      }
    }
    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.deltaGrams()).isCloseTo(0.5, within(1.0));
      assertThat(c.fallGrams()).isCloseTo(352, within(25.0));
      assertThat(c.overshootGrams()).isGreaterThan(300);
    });
  }

  @Test
  void theStepIsWhenTheItemMovedNotWhenAnElbowLeftTheLaneLater() {
    feed(3000, 3000, 0);
    feed(500, 3000, 20); // hand arrives
    long lifted = t;
    feed(500, 3000 - 600, 20); // a paint tin lifted off
    feed(200, 3000 - 600, 0);
    feed(8000, 3000 - 600 + 300, 60); // someone leans on the lane with about 300 g for 8 s
    feed(4000, 3000 - 600, 0);
    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.deltaGrams()).isCloseTo(-600, within(2.0));
      assertThat(c.endMillis() - c.startMillis()).isGreaterThan(8000);
      assertThat(c.stepMillis()).isBetween(lifted, lifted + 100);
    });
  }

  @Test
  void twoTakesOneAfterTheOtherWithHandsOverlappingShowTheLevelInBetween() {
    feed(3000, 4000, 0);
    feed(600, 4000, 40); // the first hand arrives
    long first = t;
    feed(500, 4000 - 520, 40); // a bottle lifted, hand still there
    feed(700, 4000 - 520, 60); // the second hand arrives before the first is gone
    long second = t;
    feed(600, 4000 - 1040, 40); // the next bottle lifted
    feed(4000, 4000 - 1040, 0);
    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.deltaGrams()).isCloseTo(-1040, within(2.0));
      assertThat(c.plateau()).isNotNull();
      assertThat(c.plateau().fraction()).isEqualTo(0.5);
      assertThat(c.plateau().fromMillis()).isBetween(first - 50, first + 100);
      assertThat(c.plateau().toMillis()).isBetween(second - 100, second + 50);
    });
  }

  @Test
  void twoUnitsTakenInOneMovementUnderAWobblingHandHaveNoLevelInBetween() {
    feed(3000, 4000, 0);
    feed(800, 4000, 60);
    feed(900, 4000 - 1040, 60);
    feed(4000, 4000 - 1040, 0);
    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.deltaGrams()).isCloseTo(-1040, within(2.0));
      assertThat(c.plateau()).isNull();
    });
  }

}
