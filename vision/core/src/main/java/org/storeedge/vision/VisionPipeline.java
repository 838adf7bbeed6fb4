package org.storeedge.vision;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.storeedge.core.lifecycle.Lifecycle;
import org.storeedge.core.time.Scheduler;
import org.storeedge.vision.interaction.InteractionDetector;
import org.storeedge.vision.track.ByteTracker;
import org.storeedge.vision.track.Track;

/**
 * One camera's way from pixels to shopper positions and lane interactions.
 *
 * <pre>
 *  FrameSource ──(capture thread)──► LatestFrameSlot ──(thread "vision-CAM")──► rate gate
 *    ▲   (latest wins, drops counted)                                           │ boosted: boostedFps
 *    │                                                                          │ idle:    idleFps
 *    │ reconnect() with backoff                                                 ▼
 *  watchdog (scheduler thread) ◄─ slot.offered() stops growing      Detector.detect(frame)
 *    └─► VisionListener.onCameraFault                                           │ persons >= minScore
 *                                                                               ▼
 *                       VisionListener ◄── InteractionDetector ◄── ByteTracker.update
 *              (observations, zone interactions)   (foot point → homography → floor, zones, tokens)
 * </pre>
 *
 * <p>Event gating: the agent calls {@link #boostUntil} around weight events; frames captured
 * before that time are processed at {@code boostedFps}, others at {@code idleFps}. Frames skipped by
 * the rate gate are counted. All rate decisions use the frames' capture times; the watchdog uses
 * the scheduler's clock. The pipeline does not own the source's or detector's construction; it
 * starts and stops the source, and leaves closing the detector to whoever made it.
 */
public final class VisionPipeline implements Lifecycle {
  private static final System.Logger LOG = System.getLogger(VisionPipeline.class.getName());

  private final FrameSource source;
  private final LatestFrameSlot slot;
  private final Detector detector;
  private final ByteTracker tracker;
  private final InteractionDetector interactions;
  private final Scheduler scheduler;
  private final PipelineSettings settings;
  private final VisionListener listener;

  private final AtomicLong boostUntilMillis = new AtomicLong(Long.MIN_VALUE);
  private volatile boolean running;
  private Thread thread;
  private Scheduler.Cancellable watchdogTask;

  // inference-thread state
  private long lastSlot = Long.MIN_VALUE; // rate-grid time of the last processed frame
  private long lastTrackerCapture = Long.MIN_VALUE;
  private final AtomicLong processed = new AtomicLong();
  private final AtomicLong boostedProcessed = new AtomicLong();
  private final AtomicLong skippedByRate = new AtomicLong();
  private final AtomicLong detectorFailures = new AtomicLong();
  private final AtomicLong outOfOrder = new AtomicLong();

  // watchdog state (scheduler thread)
  private long lastOffered = -1;
  private long lastFrameSeenMillis;
  private boolean stalled;
  private int attempts;
  private long nextReconnectMillis;
  private long backoffMillis;
  private final AtomicLong stalls = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();

  public VisionPipeline(FrameSource source, LatestFrameSlot slot, Detector detector, ByteTracker tracker,
      InteractionDetector interactions, Scheduler scheduler, PipelineSettings settings, VisionListener listener) {
    this.source = source;
    this.slot = slot;
    this.detector = detector;
    this.tracker = tracker;
    this.interactions = interactions;
    this.scheduler = scheduler;
    this.settings = settings;
    this.listener = listener;
  }

  @Override
  public String name() {
    return "vision " + source.cameraId();
  }

  public String cameraId() {
    return source.cameraId();
  }

  /**
   * Opens the camera, starts the inference thread and the watchdog. A camera that cannot be
   * opened fails the start (with the source's message).
   */
  @Override
  public synchronized void start() throws Exception {
    if (running) {
      return;
    }
    startWatchdog();
    source.start();
    running = true;
    thread = new Thread(this::loop, "vision-" + source.cameraId());
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Starts only the watchdog, for a pipeline driven by {@link #processNext} from the caller's
   * thread (the simulator on virtual time); the source is started by the caller.
   */
  public synchronized void startWatchdog() {
    if (watchdogTask != null) {
      return;
    }
    lastFrameSeenMillis = scheduler.millis();
    lastOffered = slot.offered();
    backoffMillis = settings.reconnectInitialMillis();
    long period = settings.watchdogPeriodMillis();
    watchdogTask = scheduler.scheduleAtFixedRate(Duration.ofMillis(period), Duration.ofMillis(period), this::watchdogCheck);
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (watchdogTask != null) {
      watchdogTask.cancel();
      watchdogTask = null;
    }
    Thread t = thread;
    thread = null;
    if (t != null) {
      t.interrupt();
      try {
        t.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      source.stop();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "camera " + source.cameraId() + " failed to stop: " + e, e);
    }
  }

  /** Any thread: frames captured before {@code epochMillis} run at the boosted rate. Never shortens an earlier boost. */
  public void boostUntil(long epochMillis) {
    boostUntilMillis.accumulateAndGet(epochMillis, Math::max);
  }

  /** Any thread: boosts for {@code d} from the scheduler's now. */
  public void boostFor(Duration d) {
    boostUntil(scheduler.millis() + d.toMillis());
  }

  private void loop() {
    while (running) {
      try {
        processNext(500, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException e) {
        // a bug downstream must not end the camera's inference; it is logged and the next frame runs
        LOG.log(System.Logger.Level.ERROR, "vision " + source.cameraId() + " frame failed: " + e, e);
      }
    }
  }

  /**
   * Inference thread (or a test/simulator driving the pipeline synchronously): waits up to
   * {@code timeout} for a frame and processes it. Returns true when a frame went through
   * detection, false when none arrived or the rate gate skipped it.
   */
  public boolean processNext(long timeout, TimeUnit unit) throws InterruptedException {
    Frame f = slot.take(timeout, unit);
    return f != null && process(f);
  }

  /** Processes one frame (rate gate, detect, track, interactions); true when it was not skipped. */
  public boolean process(Frame frame) {
    long t = frame.captureMillis();
    boolean boosted = t < boostUntilMillis.get();
    double fps = boosted ? settings.boostedFps() : settings.idleFps();
    double interval = 1000.0 / fps;
    // Each processed frame takes the next slot of the rate's grid, so capture jitter (a frame at
    // 499 ms of a 500 ms slot) delays one frame instead of halving the rate; after a gap longer
    // than a slot the grid restarts at the frame.
    if (lastSlot != Long.MIN_VALUE && t < lastSlot + interval) {
      skippedByRate.incrementAndGet();
      return false;
    }
    if (t < lastTrackerCapture) {
      outOfOrder.incrementAndGet();
      return false;
    }
    double due = lastSlot == Long.MIN_VALUE ? t : lastSlot + interval;
    lastSlot = t - due < interval ? (long) Math.ceil(due) : t;
    List<Detection> detections;
    try {
      detections = detector.detect(frame);
    } catch (RuntimeException e) {
      long n = detectorFailures.incrementAndGet();
      if (n == 1 || n % 100 == 0) {
        LOG.log(System.Logger.Level.WARNING, "detector " + detector.name() + " failed on " + frame + " (failure " + n + "): " + e, e);
      }
      return false;
    }
    List<Detection> persons = new ArrayList<>(detections.size());
    for (Detection d : detections) {
      if (d.label().equals(settings.personLabel()) && d.score() >= settings.minPersonScore()) {
        persons.add(d);
      }
    }
    lastTrackerCapture = t;
    List<float[]> looks = interactions.looksOf(frame, persons);
    List<Track> tracks = looks == null ? tracker.update(persons, t) : tracker.update(persons, looks, t);
    interactions.onFrame(frame, tracks, tracker);
    interactions.onTracks(t, tracks);
    interactions.onDetections(t, detections, tracks);
    processed.incrementAndGet();
    if (boosted) {
      boostedProcessed.incrementAndGet();
    }
    return true;
  }

  /** Scheduler thread: notices a camera that stopped delivering and asks it to reconnect with backoff. */
  void watchdogCheck() {
    long now = scheduler.millis();
    long offered = slot.offered();
    if (offered != lastOffered) {
      lastOffered = offered;
      lastFrameSeenMillis = now;
      if (stalled) {
        stalled = false;
        LOG.log(System.Logger.Level.INFO, "camera " + source.cameraId() + " delivers again after " + attempts + " reconnect(s)");
        fault(new CameraFault(source.cameraId(), CameraFault.Status.RECOVERED, now, now, attempts));
        attempts = 0;
        backoffMillis = settings.reconnectInitialMillis();
      }
      return;
    }
    if (now - lastFrameSeenMillis < settings.stallAfterMillis()) {
      return;
    }
    if (!stalled) {
      stalled = true;
      stalls.incrementAndGet();
      attempts = 0;
      backoffMillis = settings.reconnectInitialMillis();
      LOG.log(System.Logger.Level.WARNING, "camera " + source.cameraId() + " delivered no frame for "
          + (now - lastFrameSeenMillis) + " ms; reconnecting");
      reconnect(now);
      fault(new CameraFault(source.cameraId(), CameraFault.Status.STALLED, lastFrameSeenMillis, now, attempts));
    } else if (now >= nextReconnectMillis) {
      reconnect(now);
    }
  }

  private void reconnect(long now) {
    attempts++;
    reconnects.incrementAndGet();
    nextReconnectMillis = now + backoffMillis;
    backoffMillis = Math.min(backoffMillis * 2, settings.reconnectMaxMillis());
    try {
      source.reconnect();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "camera " + source.cameraId() + " reconnect request failed: " + e, e);
    }
  }

  private void fault(CameraFault f) {
    try {
      listener.onCameraFault(f);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "vision listener failed on " + f + ": " + e, e);
    }
  }

  public Counters counters() {
    LatestFrameSlot.Counters c = slot.counters();
    return new Counters(c.offered(), c.dropped(), processed.get(), boostedProcessed.get(), skippedByRate.get(),
        detectorFailures.get(), outOfOrder.get(), stalls.get(), reconnects.get(), tracker.swapsRepaired());
  }

  /**
   * @param offered frames the camera delivered
   * @param dropped replaced in the slot before inference took them
   * @param processed went through detection and tracking
   * @param boostedProcessed of those, at the boosted rate
   * @param skippedByRate taken but skipped by the fps cap
   * @param detectorFailures frames the detector threw on
   * @param outOfOrder frames older than one already tracked, skipped
   * @param stalls times the camera was found stalled
   * @param reconnects reconnect requests made
   * @param idsGivenBack pairs of tracks that met and parted with each other's ids, given back by their looks
   */
  public record Counters(long offered, long dropped, long processed, long boostedProcessed, long skippedByRate,
      long detectorFailures, long outOfOrder, long stalls, long reconnects, long idsGivenBack) {}
}
