package org.storeedge.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.storeedge.core.event.HandInLane;
import org.storeedge.core.event.ShopperObservation;
import org.storeedge.core.time.VirtualScheduler;
import org.storeedge.vision.geometry.CameraCalibration;
import org.storeedge.vision.geometry.Homography;
import org.storeedge.vision.geometry.LaneZones;
import org.storeedge.vision.geometry.Point2;
import org.storeedge.vision.geometry.Stores;
import org.storeedge.vision.geometry.Zone;
import org.storeedge.vision.interaction.HandZones;
import org.storeedge.vision.interaction.InteractionDetector;
import org.storeedge.vision.interaction.InteractionSettings;
import org.storeedge.vision.interaction.ZoneInteraction;
import org.storeedge.vision.track.ByteTracker;

class VisionPipelineTest {
  static final long T0 = Instant.parse("2026-01-05T10:00:00Z").toEpochMilli();

  /** A camera driven by the test: {@link #deliver} plays the capture thread. */
  static final class FakeFrameSource implements FrameSource {
    final FrameSink sink;
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger stops = new AtomicInteger();
    final List<Long> reconnectCalls = new CopyOnWriteArrayList<>();
    final VirtualScheduler clock;
    long seq;

    FakeFrameSource(FrameSink sink, VirtualScheduler clock) {
      this.sink = sink;
      this.clock = clock;
    }

    @Override
    public String cameraId() {
      return "cam1";
    }

    @Override
    public void reconnect() {
      reconnectCalls.add(clock.millis());
    }

    @Override
    public void start() {
      starts.incrementAndGet();
    }

    @Override
    public void stop() {
      stops.incrementAndGet();
    }

    Frame deliver(long captureMillis) {
      Frame f = new Frame("cam1", seq++, captureMillis, 8, 4, new byte[8 * 4 * 3]);
      sink.accept(f);
      return f;
    }
  }

  /** One person walking right 1 px per ms of capture time, plus a chair and a weak ghost. */
  static final class FakeDetector implements Detector {
    final List<Long> seen = new CopyOnWriteArrayList<>();
    boolean fail;
    /** Also a hand reaching out of the person's box to the right. */
    volatile boolean hand;

    @Override
    public List<Detection> detect(Frame frame) {
      if (fail) {
        throw new IllegalStateException("model failed");
      }
      seen.add(frame.captureMillis());
      double x = 100 + (frame.captureMillis() - T0) * 0.05;
      List<Detection> out = new java.util.ArrayList<>(List.of(
          new Detection("person", 0.9f, BoundingBox.ofCorners(x - 25, 200, x + 25, 400)),
          new Detection("chair", 0.95f, new BoundingBox(500, 300, 50, 50)),
          new Detection("person", 0.05f, new BoundingBox(700, 100, 40, 100))));
      if (hand) {
        out.add(new Detection("hand", 0.7f, BoundingBox.ofCentre(x + 40, 300, 12, 12)));
      }
      return out;
    }
  }

  static final class Recorder implements VisionListener {
    final List<ShopperObservation> observations = new CopyOnWriteArrayList<>();
    final List<ZoneInteraction> started = new CopyOnWriteArrayList<>();
    final List<CameraFault> faults = new CopyOnWriteArrayList<>();
    final List<HandInLane> hands = new CopyOnWriteArrayList<>();

    @Override
    public void onHandInLane(HandInLane h) {
      hands.add(h);
    }

    @Override
    public void onObservation(ShopperObservation o) {
      observations.add(o);
    }

    @Override
    public void onInteractionStarted(ZoneInteraction i) {
      started.add(i);
    }

    @Override
    public void onCameraFault(CameraFault f) {
      faults.add(f);
    }
  }

  final VirtualScheduler scheduler = new VirtualScheduler(Instant.ofEpochMilli(T0));
  final LatestFrameSlot slot = new LatestFrameSlot();
  final FakeFrameSource source = new FakeFrameSource(slot, scheduler);
  final FakeDetector detector = new FakeDetector();
  final Recorder rec = new Recorder();
  final CameraCalibration cal = new CameraCalibration("cam1", Homography.of(0.01, 0, 0, 0, 0.01, 0, 0, 0, 1));

  VisionPipeline pipeline(PipelineSettings settings) {
    ByteTracker tracker = new ByteTracker();
    InteractionDetector interactions = new InteractionDetector(cal, LaneZones.defaults().build(Stores.twoShelves()),
        InteractionSettings.defaults(), null, rec);
    return new VisionPipeline(source, slot, detector, tracker, interactions, scheduler, settings, rec);
  }

  /** Delivers frames at 20 fps over [from, to) and lets the pipeline take each one at once. */
  void play(VisionPipeline p, long fromOffset, long toOffset) throws InterruptedException {
    for (long t = T0 + fromOffset; t < T0 + toOffset; t += 50) {
      source.deliver(t);
      p.processNext(0, TimeUnit.MILLISECONDS);
    }
  }

  @Test
  void inferenceRunsAtTheIdleRateAndAtTheBoostedRateAroundEvents() throws Exception {
    VisionPipeline p = pipeline(PipelineSettings.defaults().withFps(10, 2));
    play(p, 0, 2000); // idle: 2 fps
    assertThat(detector.seen).hasSize(4);
    p.boostUntil(T0 + 3000);
    play(p, 2000, 3000); // boosted: 10 fps
    play(p, 3000, 5000); // idle again
    assertThat(detector.seen).hasSize(4 + 10 + 4);
    VisionPipeline.Counters c = p.counters();
    assertThat(c.offered()).isEqualTo(100);
    assertThat(c.processed()).isEqualTo(18);
    assertThat(c.boostedProcessed()).isEqualTo(10);
    assertThat(c.skippedByRate()).isEqualTo(82);
    assertThat(c.dropped()).isZero();
  }

  @Test
  void onlyPersonsAboveTheScoreReachTheTracker() throws Exception {
    VisionPipeline p = pipeline(PipelineSettings.defaults().withFps(20, 20));
    play(p, 0, 1000);
    // one person confirmed after 3 frames; chair and weak ghost never tracked
    assertThat(rec.observations).extracting(ShopperObservation::trackId).containsOnly("cam1:1");
    assertThat(rec.observations).hasSize(20 - 2);
    assertThat(rec.observations.get(rec.observations.size() - 1).atMillis()).isEqualTo(T0 + 950);
  }

  @Test
  void aHandInAShelfFaceReachesTheListenerAsTheTracksHandInThatLane() throws Exception {
    InteractionDetector interactions = new InteractionDetector(cal, LaneZones.defaults().build(Stores.twoShelves()),
        InteractionSettings.defaults(), null, rec).withHands(new HandZones("hand", 0.3,
            List.of(new Zone("a1", List.of(new Point2(0, 250),
                new Point2(1000, 250), new Point2(1000, 350),
                new Point2(0, 350)))), 400, rec));
    VisionPipeline p = new VisionPipeline(source, slot, detector, new ByteTracker(), interactions, scheduler,
        PipelineSettings.defaults().withFps(20, 20), rec);
    play(p, 0, 300); // the track is confirmed
    detector.hand = true;
    play(p, 300, 1000);
    detector.hand = false;
    play(p, 1000, 1600);
    assertThat(rec.hands).singleElement().satisfies(h -> {
      assertThat(h.trackId()).isEqualTo("cam1:1");
      assertThat(h.laneId()).isEqualTo("a1");
      assertThat(h.fromMillis()).isEqualTo(T0 + 300);
      assertThat(h.toMillis()).isEqualTo(T0 + 950);
    });
  }

  @Test
  void aFailingDetectorIsCountedAndTheNextFrameRuns() throws Exception {
    VisionPipeline p = pipeline(PipelineSettings.defaults().withFps(20, 20));
    detector.fail = true;
    play(p, 0, 200);
    detector.fail = false;
    play(p, 200, 400);
    assertThat(p.counters().detectorFailures()).isEqualTo(4);
    assertThat(detector.seen).hasSize(4);
  }

  @Test
  void watchdogReportsAStalledCameraAndReconnectsWithBackoff() throws Exception {
    PipelineSettings s = new PipelineSettings("person", 0.1, 10, 2, 5000, 1000, 1000, 8000);
    VisionPipeline p = pipeline(s);
    p.startWatchdog();
    for (int i = 0; i < 10; i++) { // frames flow for 10 s
      source.deliver(scheduler.millis());
      scheduler.advance(Duration.ofSeconds(1));
    }
    assertThat(rec.faults).isEmpty();
    scheduler.advance(Duration.ofSeconds(40)); // camera silent
    assertThat(rec.faults).singleElement().satisfies(f -> {
      assertThat(f.status()).isEqualTo(CameraFault.Status.STALLED);
      assertThat(f.atMillis() - f.lastFrameMillis()).isGreaterThanOrEqualTo(5000);
    });
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < source.reconnectCalls.size(); i++) {
      gaps.add(source.reconnectCalls.get(i) - source.reconnectCalls.get(i - 1));
    }
    assertThat(gaps).startsWith(1000L, 2000L, 4000L, 8000L, 8000L);
    source.deliver(scheduler.millis()); // it came back
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(rec.faults).hasSize(2);
    assertThat(rec.faults.get(1).status()).isEqualTo(CameraFault.Status.RECOVERED);
    assertThat(rec.faults.get(1).reconnectAttempts()).isEqualTo(source.reconnectCalls.size());
    assertThat(p.counters().stalls()).isEqualTo(1);
    int calls = source.reconnectCalls.size();
    scheduler.advance(Duration.ofSeconds(3)); // healthy again (< stallAfter): no more reconnects
    assertThat(source.reconnectCalls).hasSize(calls);
    p.stop();
  }

  @Test
  void startedPipelineRunsInferenceOnItsOwnNamedThread() throws Exception {
    CountDownLatch seen = new CountDownLatch(3);
    List<String> threads = new CopyOnWriteArrayList<>();
    LatestFrameSlot s = new LatestFrameSlot();
    FakeFrameSource src = new FakeFrameSource(s, scheduler);
    Detector d = frame -> {
      threads.add(Thread.currentThread().getName());
      seen.countDown();
      return List.of();
    };
    InteractionDetector interactions = new InteractionDetector(cal, List.of(), InteractionSettings.defaults(), null, rec);
    VisionPipeline p = new VisionPipeline(src, s, d, new ByteTracker(), interactions, scheduler,
        PipelineSettings.defaults().withFps(1000, 1000), rec);
    p.start();
    try {
      assertThat(src.starts).hasValue(1);
      Thread feeder = new Thread(() -> {
        for (int i = 0; seen.getCount() > 0 && i < 1_000_000; i++) {
          src.deliver(T0 + i * 10L);
          Thread.onSpinWait();
        }
      }, "capture-test");
      feeder.start();
      assertThat(seen.await(60, TimeUnit.SECONDS)).isTrue();
      feeder.join(60_000);
    } finally {
      p.stop();
    }
    assertThat(src.stops).hasValue(1);
    assertThat(threads).allMatch("vision-cam1"::equals);
  }
}
