package org.storeedge.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.event.HandContact;
import org.storeedge.core.event.HandInLane;
import org.storeedge.core.time.VirtualScheduler;

class SimulatedHandSensorTest {
  private static final Instant T0 = Instant.parse("2026-11-25T09:00:00Z");
  private final StoreConfig config = TestStores.demo();

  /** The suite's adversarial traffic: busy, with reaches and hand-offs. */
  private SimulatedStore busyStore(long seed) {
    try {
      Scenario s = ScenarioLoader.load(java.nio.file.Path.of("scenarios/suite/generated-adversarial.yaml"), config);
      return new SimulatedStore(config, s.withSeed(seed), new VirtualScheduler(s.start().orElse(T0)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean reports(List<SimulatedHandSensor.Timed<HandInLane>> hands, GroundTruth.Action a) {
    return hands.stream().map(SimulatedHandSensor.Timed::observation).anyMatch(h -> h.trackId().equals(a.trackId())
        && h.laneId().equals(a.laneId()) && Math.abs(h.fromMillis() - a.handOn().toEpochMilli()) < 1000);
  }

  @Test
  void aPerfectSensorReportsEveryHandInItsLaneWithTheShoppersTokenAndEveryHandOff() {
    SimulatedStore store = busyStore(11);
    var perfect = new SimulatedHandSensor.Model(1, 0, 0, 0, 0, 1, 0, 0, 0.2, SimulatedHandSensor.Association.BOXES);
    var out = SimulatedHandSensor.observe(store, perfect);
    List<GroundTruth.Action> actions = store.groundTruth().actions();
    assertThat(actions).isNotEmpty();
    assertThat(out.hands()).hasSize(actions.size());
    for (GroundTruth.Action a : actions) {
      assertThat(reports(out.hands(), a)).as("%s", a).isTrue();
    }
    assertThat(out.hands()).allSatisfy(t -> {
      assertThat(t.observation().customerToken()).isNotNull();
      // delivered after the interval it reports, by the latency
      assertThat(t.deliverAt().toEpochMilli()).isEqualTo(t.observation().toMillis() + 200);
    });
    assertThat(store.groundTruth().handOffs()).isNotEmpty();
    assertThat(out.contacts()).hasSameSizeAs(store.groundTruth().handOffs());
  }

  @Test
  void aTypicalSensorMissesAboutAsOftenAsItsModelSaysAndInventsSomeHands() {
    SimulatedStore store = busyStore(12);
    var typical = SimulatedHandSensor.Model.typical();
    var out = SimulatedHandSensor.observe(store, typical);
    List<GroundTruth.Action> actions = store.groundTruth().actions();
    long seen = actions.stream().filter(a -> reports(out.hands(), a)).count();
    double rate = (double) seen / actions.size();
    // 90 % less crowd occlusion, lane errors and swaps: clearly below 1, clearly above chance
    assertThat(rate).isBetween(0.6, 0.93);
    long spurious = out.hands().stream().map(SimulatedHandSensor.Timed::observation)
        .filter(h -> actions.stream().noneMatch(a -> a.trackId().equals(h.trackId()) && a.laneId().equals(h.laneId())
            && Math.abs(h.fromMillis() - a.handOn().toEpochMilli()) < 1000)).count();
    assertThat(spurious).isPositive();
    // the same store and model give the same observations
    assertThat(SimulatedHandSensor.observe(store, typical)).isEqualTo(out);
  }

  @Test
  void aHandWithAnotherPersonBesideItsBodyCountsWithOnlyItsShare() {
    SimulatedStore store = busyStore(11);
    var perfect = new SimulatedHandSensor.Model(1, 0, 0, 0, 0, 1, 0, 0, 0.2, SimulatedHandSensor.Association.BOXES);
    var out = SimulatedHandSensor.observe(store, perfect);
    int crowded = 0;
    for (GroundTruth.Action a : store.groundTruth().actions()) {
      HandInLane h = out.hands().stream().map(SimulatedHandSensor.Timed::observation)
          .filter(o -> o.trackId().equals(a.trackId()) && o.laneId().equals(a.laneId())
              && Math.abs(o.fromMillis() - a.handOn().toEpochMilli()) < 1000).findFirst().orElseThrow();
      var at = store.shopperPositionsAt(Instant.ofEpochSecond(0,
          (SimulatedStore.nanosOf(a.handOn()) + SimulatedStore.nanosOf(a.handOff())) / 2));
      var me = at.get(a.trackId());
      boolean someoneBeside = at.entrySet().stream().anyMatch(e -> !e.getKey().equals(a.trackId())
          && Math.hypot(e.getValue().x() - me.x(), e.getValue().y() - me.y()) <= SimulatedHandSensor.SWAP_RADIUS_METRES);
      if (someoneBeside) {
        crowded++;
        // the detection's own 0.6-1.0, times a share of 0.5-1
        assertThat(h.confidence()).isBetween(0.3, 1.0);
      } else {
        assertThat(h.confidence()).isBetween(0.6, 1.0);
      }
    }
    assertThat(crowded).isPositive();
    assertThat(out.hands().stream().mapToDouble(t -> t.observation().confidence()).min().orElseThrow()).isLessThan(0.6);
  }

  @Test
  void aPoseSensorGivesACrowdedHandItsFullScoreAndTheIdealOneReportsEveryHandAndNothingElse() {
    SimulatedStore store = busyStore(11);
    var boxes = SimulatedHandSensor.observe(store, SimulatedHandSensor.Model.ideal()
        .withAssociation(SimulatedHandSensor.Association.BOXES));
    var pose = SimulatedHandSensor.observe(store, SimulatedHandSensor.Model.ideal());
    // the same hands, in the same lanes and on the same bodies: only the confidence differs
    assertThat(pose.hands()).hasSameSizeAs(boxes.hands()).hasSize(store.groundTruth().actions().size());
    for (int i = 0; i < pose.hands().size(); i++) {
      HandInLane p = pose.hands().get(i).observation();
      HandInLane b = boxes.hands().get(i).observation();
      assertThat(p.trackId()).isEqualTo(b.trackId());
      assertThat(p.laneId()).isEqualTo(b.laneId());
      assertThat(p.confidence()).isBetween(0.6, 1.0).isGreaterThanOrEqualTo(b.confidence());
    }
    // boxes shared some crowded hands with a neighbour; the pose sensor did not
    assertThat(boxes.hands().stream().mapToDouble(t -> t.observation().confidence()).min().orElseThrow())
        .isLessThan(0.6);
    for (GroundTruth.Action a : store.groundTruth().actions()) {
      assertThat(reports(pose.hands(), a)).as("%s", a).isTrue();
    }
    assertThat(pose.contacts()).hasSameSizeAs(store.groundTruth().handOffs());
    assertThatThrownBy(() -> SimulatedHandSensor.Model.typical().withAssociation(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eachParameterIsSetByItsNameAndOnlyThatOne() {
    SimulatedHandSensor.Model typical = SimulatedHandSensor.Model.typical();
    var components = SimulatedHandSensor.Model.class.getRecordComponents();
    for (int i = 0; i < SimulatedHandSensor.Model.PARAMETERS.size(); i++) {
      SimulatedHandSensor.Model m = typical.with(SimulatedHandSensor.Model.PARAMETERS.get(i), 0.5);
      for (int j = 0; j < components.length; j++) {
        Object was = value(components[j], typical);
        Object now = value(components[j], m);
        assertThat(now).as("%s after setting %s", components[j].getName(), SimulatedHandSensor.Model.PARAMETERS.get(i))
            .isEqualTo(j == i ? (Object) 0.5 : was);
      }
    }
    // every hand-off seen and no contact invented: the contacts are the hand-offs
    SimulatedStore store = busyStore(17);
    var out = SimulatedHandSensor.observe(store, typical.with("contact-hit", 1).with("false-contacts-per-minute", 0));
    assertThat(store.groundTruth().handOffs()).isNotEmpty();
    assertThat(out.contacts()).hasSameSizeAs(store.groundTruth().handOffs());
    assertThatThrownBy(() -> typical.with("hits", 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hit, crowd-occlusion");
    assertThatThrownBy(() -> typical.with("lane-error", 1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> typical.with("jitter-seconds", Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void contactsSayWhoGaveWhatAsOftenAsTheModelSaysRightlyForHandOffsAndAtRandomOtherwise() {
    SimulatedStore store = busyStore(17);
    List<GroundTruth.HandOff> handOffs = store.groundTruth().handOffs();
    assertThat(handOffs).isNotEmpty();
    var ideal = SimulatedHandSensor.observe(store, SimulatedHandSensor.Model.ideal());
    assertThat(ideal.contacts()).hasSameSizeAs(handOffs);
    for (GroundTruth.HandOff h : handOffs) {
      assertThat(ideal.contacts()).map(SimulatedHandSensor.Timed::observation)
          .anySatisfy(c -> {
            assertThat(c.trackId()).isEqualTo(h.fromTrackId());
            assertThat(c.giverTrackId()).isEqualTo(h.fromTrackId());
            assertThat(c.sku()).isEqualTo(h.sku());
            assertThat(c.qty()).isEqualTo(h.qty());
          });
    }
    // the typical camera says neither; one that says who gave half the time and never what
    var typical = SimulatedHandSensor.Model.typical();
    assertThat(SimulatedHandSensor.observe(store, typical).contacts()).map(SimulatedHandSensor.Timed::observation)
        .allSatisfy(c -> assertThat(c.directed()).isFalse());
    var half = SimulatedHandSensor.observe(store, typical.with("contact-direction", 0.5).with("false-contacts-per-minute", 3));
    List<HandContact> met = half.contacts().stream().map(SimulatedHandSensor.Timed::observation).toList();
    assertThat(met).allSatisfy(c -> assertThat(c.sku()).isNull());
    long directed = met.stream().filter(HandContact::directed).count();
    assertThat((double) directed / met.size()).isBetween(0.3, 0.7);
    // false contacts (no hand-off between the two) name either of them as giver
    List<HandContact> falseOnes = met.stream().filter(HandContact::directed).filter(c -> handOffs.stream()
        .noneMatch(h -> h.fromTrackId().equals(c.trackId()) && h.toTrackId().equals(c.otherTrackId()))).toList();
    assertThat(falseOnes).anySatisfy(c -> assertThat(c.giverTrackId()).isEqualTo(c.trackId()))
        .anySatisfy(c -> assertThat(c.giverTrackId()).isEqualTo(c.otherTrackId()));
    // with the product named too, a false contact names one the giver had taken, if any
    var named = SimulatedHandSensor.observe(store, typical.with("contact-direction", 1).with("contact-item", 1)
        .with("false-contacts-per-minute", 3));
    assertThat(named.contacts()).map(SimulatedHandSensor.Timed::observation).allSatisfy(c -> {
      assertThat(c.directed()).isTrue();
      if (c.sku() != null) {
        assertThat(store.groundTruth().actions()).anySatisfy(a -> {
          assertThat(a.trackId()).isEqualTo(c.giverTrackId());
          assertThat(a.sku()).isEqualTo(c.sku());
          assertThat(a.kind()).isEqualTo(GroundTruth.Kind.TAKE);
        });
      }
    });
  }

  private static Object value(java.lang.reflect.RecordComponent c, SimulatedHandSensor.Model m) {
    try {
      return c.getAccessor().invoke(m);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aBlindSensorReportsNothing() {
    var blind = new SimulatedHandSensor.Model(0, 0, 0, 0, 0, 0, 0, 0, 0, SimulatedHandSensor.Association.BOXES);
    var out = SimulatedHandSensor.observe(busyStore(13), blind);
    assertThat(out.hands()).isEmpty();
    assertThat(out.contacts()).isEmpty();
  }

  @Test
  void probabilitiesOutsideZeroToOneAreRefused() {
    assertThatThrownBy(() -> new SimulatedHandSensor.Model(1.2, 0, 0, 0, 0, 1, 0, 0, 0,
        SimulatedHandSensor.Association.BOXES))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SimulatedHandSensor.Model.typical().withSwapRate(-0.1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
