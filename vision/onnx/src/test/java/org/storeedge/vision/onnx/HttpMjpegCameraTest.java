package org.storeedge.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.storeedge.core.time.SystemScheduler;
import org.storeedge.vision.Frame;

/**
 * {@link OpenCvFrameSource} against a real MJPEG-over-HTTP camera endpoint on loopback: content,
 * frame-rate cap, and what happens when the camera goes away, hangs and comes back.
 */
class HttpMjpegCameraTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final List<Frame> frames = new CopyOnWriteArrayList<>();
  private SystemScheduler scheduler;
  private MjpegHttpCamera camera;
  private OpenCvFrameSource source;

  @BeforeEach
  void setUp() throws Exception {
    scheduler = new SystemScheduler("http-camera-test");
    camera = new MjpegHttpCamera(10);
    camera.start();
  }

  @AfterEach
  void tearDown() {
    if (source != null) {
      source.stop();
    }
    camera.close();
    scheduler.close();
  }

  private OpenCvFrameSource open(double maxFps) {
    source = new OpenCvFrameSource("door-cam", new OpenCvFrameSource.Options(camera.url(), maxFps, true, false),
        scheduler, frames::add);
    source.start();
    return source;
  }

  private void awaitFrames(int n, String what) {
    Poll.until(WAIT, () -> frames.size() >= n, n + " frames " + what + " (have " + frames.size() + ", failures "
        + source.failures() + ")");
  }

  @Test
  void deliversTheCamerasFramesInOrderAtMostAtTheCap() {
    // the camera sends 10 fps; the cap is 4 fps
    open(4);
    awaitFrames(8, "from the MJPEG stream");

    List<Frame> got = List.copyOf(frames);
    CounterPattern.assertClean(got);
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i).cameraId()).isEqualTo("door-cam");
      assertThat(got.get(i).sequence()).isEqualTo(i);
    }
    // the counter drawn into each JPEG comes back in order; the cap skips some of them
    List<Integer> counters = got.stream().map(CounterPattern::counter).toList();
    for (int i = 1; i < counters.size(); i++) {
      assertThat(counters.get(i)).as("counter of frame %d in %s", i, counters).isGreaterThan(counters.get(i - 1));
    }
    assertThat(source.skipped()).as("frames decoded but over the cap").isPositive();
    // an upper bound on the delivered rate, whatever the machine's speed: n frames at <= 4 fps
    // span at least (n - 2) periods of 250 ms on the capture clock
    long span = got.get(got.size() - 1).captureMillis() - got.get(0).captureMillis();
    assertThat(span).as("capture span of %d frames", got.size()).isGreaterThanOrEqualTo((got.size() - 2) * 250L);
    assertThat(source.failures()).isZero();
  }

  @Test
  void aCameraThatGoesAwayStopsDeliveryUntilReconnectAfterItIsBack() throws Exception {
    open(10);
    awaitFrames(3, "before the camera goes away");

    camera.stop();
    Poll.until(WAIT, () -> source.failures() >= 1, "the source to notice the closed stream");
    int before = frames.size();
    // a reconnect while the camera is down fails (counted, not thrown) and delivers nothing
    source.reconnect();
    Poll.until(WAIT, () -> source.failures() >= 2, "the reconnect to a camera that is down to fail");
    assertThat(frames).hasSize(before);

    camera.start();
    int connectionsBefore = camera.connections();
    source.reconnect();
    awaitFrames(before + 3, "after the camera is back and the source reconnected");
    assertThat(camera.connections()).isGreaterThan(connectionsBefore);
    List<Frame> after = List.copyOf(frames.subList(before, frames.size()));
    CounterPattern.assertClean(after);
    // sequence numbers go on across the reconnect
    assertThat(after.get(0).sequence()).isEqualTo(before);
  }

  @Test
  void aCameraThatHangsFailsTheReadWithinTheTimeoutAndReconnectResumes() throws Exception {
    open(10);
    awaitFrames(3, "before the camera hangs");

    // connection open, no bytes: without a read timeout the capture thread would block for ever
    camera.freeze(true);
    Poll.until(WAIT, () -> source.failures() >= 1, "the read on the silent connection to time out");
    int before = frames.size();

    camera.freeze(false);
    source.reconnect();
    awaitFrames(before + 3, "after the camera answers again and the source reconnected");
    CounterPattern.assertClean(frames.subList(before, frames.size()));
  }
}
