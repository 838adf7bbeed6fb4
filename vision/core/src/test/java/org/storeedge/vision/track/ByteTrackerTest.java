package org.storeedge.vision.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Detection;

class ByteTrackerTest {

  /** Id of the track whose box best overlaps {@code b}, or -1. */
  private static long idNear(List<Track> tracks, BoundingBox b) {
    long best = -1;
    double bestIou = 0.3;
    for (Track t : tracks) {
      if (t.visible() && t.box().iou(b) > bestIou) {
        bestIou = t.box().iou(b);
        best = t.id();
      }
    }
    return best;
  }

  @Test
  void twoPeopleCrossingKeepTheirIds() {
    SyntheticScene scene = new SyntheticScene(11);
    // A walks right, B walks left a little further back (smaller, higher); they cross at t = 2.5 s
    scene.walkers.add(new SyntheticScene.Walker(1, 200, 400, 120, 0, 80, 220));
    scene.walkers.add(new SyntheticScene.Walker(2, 800, 370, -120, 0, 70, 190));
    List<List<Track>> out = new ArrayList<>();
    TrackingMetrics.Result r = scene.run(new ByteTracker(), 5000, out);
    System.out.println("crossing, 10 fps: " + r);
    assertThat(r.idSwitches()).isZero();
    assertThat(r.falsePositives()).isZero();
    assertThat(r.mota()).isGreaterThan(0.85);
    // the ids at the end are the ids from before the crossing
    long aBefore = idNear(out.get(10), scene.walkers.get(0).at(1.0));
    long bBefore = idNear(out.get(10), scene.walkers.get(1).at(1.0));
    long aAfter = idNear(out.get(50), scene.walkers.get(0).at(5.0));
    long bAfter = idNear(out.get(50), scene.walkers.get(1).at(5.0));
    assertThat(aBefore).isPositive().isNotEqualTo(bBefore);
    assertThat(aAfter).isEqualTo(aBefore);
    assertThat(bAfter).isEqualTo(bBefore);
  }

  @Test
  void crossingAtTheIdleRateOfTwoFramesPerSecondKeepsIds() {
    SyntheticScene scene = new SyntheticScene(12);
    scene.fps = 2;
    scene.walkers.add(new SyntheticScene.Walker(1, 150, 400, 100, 5, 80, 220));
    scene.walkers.add(new SyntheticScene.Walker(2, 950, 380, -110, -5, 75, 200));
    TrackingMetrics.Result r = scene.run(new ByteTracker(), 8000, null);
    System.out.println("crossing, 2 fps: " + r);
    assertThat(r.idSwitches()).isZero();
    assertThat(r.mota()).isGreaterThan(0.7);
  }

  @Test
  void manySeededCrossingsHaveNoIdSwitches() {
    long switches = 0;
    long fp = 0;
    double motaSum = 0;
    int runs = 20;
    for (int seed = 0; seed < runs; seed++) {
      SyntheticScene scene = new SyntheticScene(100 + seed);
      double speed = 80 + scene.rnd.nextDouble() * 120;
      double dy = 20 + scene.rnd.nextDouble() * 40;
      scene.walkers.add(new SyntheticScene.Walker(1, 100, 420, speed, 0, 80, 220));
      scene.walkers.add(new SyntheticScene.Walker(2, 100 + speed * 6, 420 - dy, -speed * (0.7 + 0.5 * scene.rnd.nextDouble()), 0, 70, 190));
      TrackingMetrics.Result r = scene.run(new ByteTracker(), 6000, null);
      switches += r.idSwitches();
      fp += r.falsePositives();
      motaSum += r.mota();
    }
    System.out.printf("20 seeded crossings, 10 fps: IDSW %d, FP %d, mean MOTA %.3f%n", switches, fp, motaSum / runs);
    assertThat(switches).isZero();
    assertThat(motaSum / runs).isGreaterThan(0.85);
  }

  @Test
  void aOneSecondOcclusionKeepsTheId() {
    SyntheticScene scene = new SyntheticScene(13);
    scene.walkers.add(new SyntheticScene.Walker(1, 200, 400, 60, 0, 80, 220));
    scene.hiddenId = 1;
    scene.hiddenFromMillis = 2000;
    scene.hiddenToMillis = 3000; // behind a shelf end for one second
    List<List<Track>> out = new ArrayList<>();
    scene.run(new ByteTracker(), 5000, out);
    Set<Long> ids = new HashSet<>();
    for (List<Track> frame : out) {
      frame.stream().filter(Track::visible).forEach(t -> ids.add(t.id()));
    }
    assertThat(ids).containsExactly(1L);
    // during the occlusion the track is reported LOST, not dropped
    assertThat(out.get(25)).singleElement().extracting(Track::state).isEqualTo(Track.State.LOST);
    assertThat(out.get(45)).singleElement().extracting(Track::state).isEqualTo(Track.State.TRACKED);
  }

  @Test
  void aTrackLostForLongerThanTheLimitIsRemovedAndANewIdFollows() {
    SyntheticScene scene = new SyntheticScene(14);
    scene.walkers.add(new SyntheticScene.Walker(1, 300, 400, 0, 0, 80, 220));
    scene.hiddenId = 1;
    scene.hiddenFromMillis = 1000;
    scene.hiddenToMillis = 4000;
    List<List<Track>> out = new ArrayList<>();
    ByteTracker tracker = new ByteTracker();
    scene.run(tracker, 6000, out);
    assertThat(out.get(5)).extracting(Track::id).containsExactly(1L);
    assertThat(out.get(35)).isEmpty();
    assertThat(out.get(60)).extracting(Track::id).containsExactly(2L);
    assertThat(tracker.removedTracks()).isEqualTo(1);
  }

  @Test
  void aFlickeringFalsePositiveNeverBecomesATrack() {
    SyntheticScene scene = new SyntheticScene(15);
    scene.walkers.add(new SyntheticScene.Walker(1, 200, 400, 50, 0, 80, 220));
    scene.flicker = new BoundingBox(900, 100, 60, 150);
    ByteTracker tracker = new ByteTracker();
    TrackingMetrics.Result r = scene.run(tracker, 5000, null);
    assertThat(r.falsePositives()).isZero();
    assertThat(tracker.confirmedTracks()).isEqualTo(1);
  }

  @Test
  void lowScoreDetectionsKeepATrackedPersonTracked() {
    ByteTracker tracker = new ByteTracker();
    long id = -1;
    for (int f = 0; f < 30; f++) {
      float score = f < 10 ? 0.9f : 0.25f; // half hidden behind a display from frame 10
      BoundingBox b = BoundingBox.ofCentre(300 + 5 * f, 400, 80, 220);
      List<Track> ts = tracker.update(List.of(new Detection("person", score, b)), f * 100L);
      if (f == 5) {
        id = ts.get(0).id();
      }
      if (f > 5) {
        assertThat(ts).singleElement().satisfies(t -> assertThat(t.visible()).isTrue());
      }
    }
    assertThat(id).isEqualTo(1);
  }

  @Test
  void lowScoreDetectionsAloneStartNoTrack() {
    ByteTracker tracker = new ByteTracker();
    for (int f = 0; f < 20; f++) {
      assertThat(tracker.update(List.of(new Detection("person", 0.3f, new BoundingBox(10, 10, 50, 120))), f * 100L)).isEmpty();
    }
  }

  @Test
  void aTrackIsConfirmedOnlyAfterMinHits() {
    ByteTracker tracker = new ByteTracker(TrackerSettings.defaults().withMinHits(3));
    BoundingBox b = new BoundingBox(100, 100, 60, 160);
    assertThat(tracker.update(List.of(new Detection("person", 0.9f, b)), 0)).isEmpty();
    assertThat(tracker.update(List.of(new Detection("person", 0.9f, b)), 100)).isEmpty();
    assertThat(tracker.update(List.of(new Detection("person", 0.9f, b)), 200)).extracting(Track::id).containsExactly(1L);
  }

  /**
   * One person walks up to another who stands still, and stops where they stand (one box over the
   * other, as seen from above) just as the other walks on the same way. The filter expects the
   * walker to walk on, so by boxes alone the walker's track follows the one who walks off;
   * {@code withLooks}: their clothes differ, and each track stays with its own person. Returns the
   * ids {walker at start, stander at start, walker at end, stander at end}.
   */
  private static long[] walkUpAndStop(boolean withLooks) {
    float[] red = new float[Appearance.SIZE];
    red[50] = 1;
    float[] blue = new float[Appearance.SIZE];
    blue[20] = 1;
    return walkUpAndStop(withLooks, red, blue, null);
  }

  /**
   * As above, in {@code red} and {@code blue}; while their boxes overlap much both read as
   * {@code together} (null: neither is read while the boxes are close).
   */
  private static long[] walkUpAndStop(boolean withLooks, float[] red, float[] blue, float[] together) {
    ByteTracker tracker = new ByteTracker();
    long[] ids = new long[4];
    for (int f = 0; f <= 40; f++) {
      double t = f / 10.0;
      double walkerX = Math.min(200 + 120 * t, 400);
      double standerX = 400 + Math.max(0, 120 * (t - 5 / 3.0));
      BoundingBox w = BoundingBox.ofCentre(walkerX, 300, 70, 180);
      BoundingBox st = BoundingBox.ofCentre(standerX, 300, 70, 180);
      boolean apart = Math.abs(walkerX - standerX) > 80;
      List<Detection> dets = List.of(new Detection(Detection.PERSON, 0.9f, w), new Detection(Detection.PERSON, 0.9f, st));
      // boxes 70 px wide: sharing more than a fifth of themselves closer than 56 px
      boolean overlapping = Math.abs(walkerX - standerX) < 56;
      List<float[]> looks = together == null ? java.util.Arrays.asList(apart ? red : null, apart ? blue : null)
          : java.util.Arrays.asList(overlapping ? together : red, overlapping ? together : blue);
      List<Track> out = withLooks ? tracker.update(dets, looks, f * 100L) : tracker.update(dets, f * 100L);
      if (f == 5) {
        ids[0] = idNear(out, w);
        ids[1] = idNear(out, st);
      }
      if (f == 40) {
        ids[2] = idNear(out, w);
        ids[3] = idNear(out, st);
      }
    }
    return ids;
  }

  @Test
  void aWalkerWhoStopsWhereAnotherStoodAsTheyWalkOnKeepsTheirIdByTheirLooks() {
    long[] withLooks = walkUpAndStop(true);
    assertThat(withLooks[0]).isNotEqualTo(withLooks[1]).isPositive();
    assertThat(withLooks[2]).as("the walker's track").isEqualTo(withLooks[0]);
    assertThat(withLooks[3]).as("the stander's track").isEqualTo(withLooks[1]);
    // by boxes alone the tracks change people
    long[] boxesOnly = walkUpAndStop(false);
    assertThat(boxesOnly[2]).isEqualTo(boxesOnly[1]);
    assertThat(boxesOnly[3]).isEqualTo(boxesOnly[0]);
  }

  /** A look of {@code red} red (bin 50) and the rest blue (bin 20). */
  private static float[] mix(float red) {
    float[] h = new float[Appearance.SIZE];
    h[50] = red;
    h[20] = 1 - red;
    return h;
  }

  @Test
  void twoShoppersInAlikeClothesWhoMeetAndPartAreGivenBackTheirIdsByTheirLooks() {
    // alike enough that no look forbids a match (similarity 0.6), unlike enough to tell apart
    float[] mostlyRed = mix(0.9f);
    float[] mostlyBlue = mix(0.1f);
    assertThat(Appearance.similarity(mostlyRed, mostlyBlue)).isBetween(0.55, 0.65);
    long[] ids = walkUpAndStop(true, mostlyRed, mostlyBlue, null);
    assertThat(ids[0]).isNotEqualTo(ids[1]).isPositive();
    assertThat(ids[2]).as("the walker's track").isEqualTo(ids[0]);
    assertThat(ids[3]).as("the stander's track").isEqualTo(ids[1]);
  }

  @Test
  void whileTheirBoxesOverlapTheTracksKeepTheLooksFromBeforeTheyMet() {
    // where the boxes overlap each reads as half of each person: averaged in, that would leave
    // both tracks looking alike when they part, and nothing to tell them apart by
    long[] ids = walkUpAndStop(true, mix(0.9f), mix(0.1f), mix(0.5f));
    assertThat(ids[2]).as("the walker's track").isEqualTo(ids[0]);
    assertThat(ids[3]).as("the stander's track").isEqualTo(ids[1]);
  }

  @Test
  void twoShoppersInOneLookWhoMeetAndPartAreLeftAsTheBoxesSay() {
    float[] grey = new float[Appearance.SIZE];
    grey[60] = 1;
    long[] ids = walkUpAndStop(true, grey, grey.clone(), null);
    long[] boxesOnly = walkUpAndStop(false);
    assertThat(ids).containsExactly(boxesOnly);
  }

  @Test
  void looksMustComeOnePerDetection() {
    assertThatThrownBy(() -> new ByteTracker().update(List.of(new Detection(Detection.PERSON, 0.9f, BoundingBox.ofCentre(1, 1, 1, 1))),
        List.of(), 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one look per detection");
  }

  @Test
  void timeGoingBackwardsIsRejected() {
    ByteTracker tracker = new ByteTracker();
    tracker.update(List.of(), 1000);
    assertThatThrownBy(() -> tracker.update(List.of(), 999)).hasMessageContaining("must not go back in time (got: 999 after 1000)");
  }
}
