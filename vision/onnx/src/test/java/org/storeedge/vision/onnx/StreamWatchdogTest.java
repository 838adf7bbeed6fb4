package org.storeedge.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.storeedge.core.time.SystemScheduler;
import org.storeedge.vision.CameraFault;
import org.storeedge.vision.Detector;
import org.storeedge.vision.LatestFrameSlot;
import org.storeedge.vision.PipelineSettings;
import org.storeedge.vision.VisionListener;
import org.storeedge.vision.VisionPipeline;
import org.storeedge.vision.geometry.CameraCalibration;
import org.storeedge.vision.geometry.Homography;
import org.storeedge.vision.interaction.InteractionDetector;
import org.storeedge.vision.interaction.InteractionSettings;
import org.storeedge.vision.track.ByteTracker;

/**
 * The vision pipeline's watchdog driving a real {@link OpenCvFrameSource} on a real MJPEG camera:
 * the camera goes away, the watchdog reports it stalled and keeps asking for reconnects, the
 * camera comes back and frames flow again through detection.
 */
class StreamWatchdogTest {
  private final SystemScheduler scheduler = new SystemScheduler("watchdog-test");
  private MjpegHttpCamera camera;
  private VisionPipeline pipeline;

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.stop();
    }
    if (camera != null) {
      camera.close();
    }
    scheduler.close();
  }

  @Test
  void aCameraThatGoesAwayIsReportedStalledAndRecoversThroughTheWatchdogsReconnects() throws Exception {
    camera = new MjpegHttpCamera(10);
    camera.start();

    List<CameraFault> faults = new CopyOnWriteArrayList<>();
    CountDownLatch stalled = new CountDownLatch(1);
    CountDownLatch recovered = new CountDownLatch(1);
    VisionListener listener = new VisionListener() {
      @Override
      public void onCameraFault(CameraFault fault) {
        faults.add(fault);
        (fault.status() == CameraFault.Status.STALLED ? stalled : recovered).countDown();
      }
    };
    AtomicInteger detected = new AtomicInteger();
    List<String> badFrames = new CopyOnWriteArrayList<>();
    Detector detector = frame -> {
      String problems = CounterPattern.problems(frame);
      if (!problems.isEmpty()) {
        badFrames.add(frame.sequence() + ": " + problems);
      }
      detected.incrementAndGet();
      return List.of();
    };
    LatestFrameSlot slot = new LatestFrameSlot();
    OpenCvFrameSource source = new OpenCvFrameSource("door-cam", new OpenCvFrameSource.Options(camera.url(), 10, true,
        false), scheduler, slot);
    CameraCalibration cal = new CameraCalibration("door-cam", Homography.of(0.01, 0, 0, 0, 0.01, 0, 0, 0, 1));
    // stalled after 2 s without a frame; the watchdog looks every 200 ms; reconnects 0.5, 1, 2, 2 ... s apart
    PipelineSettings settings = new PipelineSettings("person", 0.3, 10, 10, 2_000, 200, 500, 2_000);
    pipeline = new VisionPipeline(source, slot, detector, new ByteTracker(),
        new InteractionDetector(cal, List.of(), InteractionSettings.defaults(), null, listener), scheduler, settings,
        listener);
    pipeline.start();
    Poll.until(java.time.Duration.ofSeconds(60), () -> detected.get() >= 3, "3 frames through detection");

    camera.stop();
    assertThat(stalled.await(60, TimeUnit.SECONDS)).as("STALLED reported").isTrue();
    // while the camera is down, reconnects are asked and fail without killing the source
    Poll.until(java.time.Duration.ofSeconds(60), () -> pipeline.counters().reconnects() >= 2 && source.failures() >= 2,
        "repeated failing reconnects (reconnects " + pipeline.counters().reconnects() + ")");
    int beforeReturn = detected.get();

    camera.start();
    assertThat(recovered.await(60, TimeUnit.SECONDS)).as("RECOVERED reported").isTrue();
    Poll.until(java.time.Duration.ofSeconds(60), () -> detected.get() >= beforeReturn + 3,
        "frames through detection after the camera came back");

    assertThat(faults).extracting(CameraFault::status).startsWith(CameraFault.Status.STALLED,
        CameraFault.Status.RECOVERED);
    assertThat(faults.get(0).cameraId()).isEqualTo("door-cam");
    assertThat(faults.get(1).reconnectAttempts()).isGreaterThanOrEqualTo(1);
    assertThat(pipeline.counters().stalls()).isEqualTo(1);
    assertThat(badFrames).isEmpty();
  }
}
