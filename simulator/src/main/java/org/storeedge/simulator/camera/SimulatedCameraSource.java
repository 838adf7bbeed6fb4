package org.storeedge.simulator.camera;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storeedge.core.time.Scheduler;
import org.storeedge.vision.Frame;
import org.storeedge.vision.FrameSink;
import org.storeedge.vision.FrameSource;

/**
 * A camera of the simulated store: renders the scene at the scheduler's time every
 * {@code 1 / fps} and hands the frame to its sink. Frames are rendered and delivered on the
 * scheduler's thread (on a {@code VirtualScheduler}: whoever drives it), so a run is exactly
 * repeatable; the sink must return at once, as for every {@link FrameSource}.
 *
 * <p>{@link #stall()} makes the camera stop delivering, as a broken stream does, until
 * {@link #reconnect()}; for exercising the pipeline's watchdog. A render that throws is logged
 * and counted and the next tick tries again.
 */
public final class SimulatedCameraSource implements FrameSource {
  private static final Logger log = LoggerFactory.getLogger(SimulatedCameraSource.class);

  private final SimulatedCameraRenderer renderer;
  private final StoreScene scene;
  private final Scheduler scheduler;
  private final FrameSink sink;
  private final Duration period;
  private final AtomicBoolean stalled = new AtomicBoolean();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile Scheduler.Cancellable ticker;

  /** {@code fps} in (0, 120]. */
  public SimulatedCameraSource(SimulatedCameraRenderer renderer, StoreScene scene, Scheduler scheduler, FrameSink sink,
      double fps) {
    if (!(fps > 0 && fps <= 120)) {
      throw new IllegalArgumentException("camera " + renderer.cameraId() + " frame rate must be in (0, 120] fps (got: " + fps + ")");
    }
    this.renderer = renderer;
    this.scene = scene;
    this.scheduler = scheduler;
    this.sink = sink;
    this.period = Duration.ofNanos(Math.round(1e9 / fps));
  }

  @Override
  public String cameraId() {
    return renderer.cameraId();
  }

  /** Schedules the first frame one period from now. Starting twice is an error. */
  @Override
  public synchronized void start() {
    if (ticker != null) {
      throw new IllegalStateException("camera " + cameraId() + " already started");
    }
    ticker = scheduler.scheduleAtFixedRate(period, period, this::tick);
  }

  @Override
  public synchronized void stop() {
    Scheduler.Cancellable t = ticker;
    ticker = null;
    if (t != null) {
      t.cancel();
    }
  }

  /** Ends a {@link #stall()}: delivery resumes with the next tick. */
  @Override
  public void reconnect() {
    reconnects.incrementAndGet();
    if (stalled.getAndSet(false)) {
      log.info("camera {} reconnected", cameraId());
    }
  }

  /** Stops delivering frames (frames are not rendered or counted) until {@link #reconnect()}. */
  public void stall() {
    stalled.set(true);
  }

  /** Frames delivered so far (the next frame's sequence number). */
  public long delivered() {
    return sequence.get();
  }

  public long reconnects() {
    return reconnects.get();
  }

  /** Ticks whose render failed. */
  public long failures() {
    return failures.get();
  }

  private void tick() {
    if (stalled.get() || ticker == null) {
      return;
    }
    Frame frame;
    try {
      frame = renderer.render(scene, scheduler.instant(), sequence.get()).frame();
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      log.warn("camera {}: render failed at {}: {}", cameraId(), scheduler.instant(), e.toString());
      return;
    }
    sequence.incrementAndGet();
    sink.accept(frame);
  }
}
