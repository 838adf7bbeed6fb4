package org.storeedge.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.core.time.SystemScheduler;
import org.storeedge.vision.Frame;

/**
 * {@link OpenCvFrameSource} against a real RTSP server (GStreamer's gst-rtsp-server, a child
 * process on loopback) serving H.264, as store IP cameras do: content, frame-rate cap, a server
 * that goes away or hangs, and reconnecting.
 */
class RtspCameraTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int FILE_FPS = 10;

  @TempDir
  static Path shared;
  private static Path clip;

  @TempDir
  Path tmp;

  private final List<Frame> frames = new CopyOnWriteArrayList<>();
  private SystemScheduler scheduler;
  private GstRtspServer server;
  private OpenCvFrameSource source;

  @BeforeAll
  static void serverInstalledAndClipRecorded() throws Exception {
    GstRtspServer.requireInstalled();
    clip = h264Clip(shared.resolve("aisle.mkv"), 900); // 90 s: longer than any test reads
  }

  @BeforeEach
  void setUp() throws Exception {
    scheduler = new SystemScheduler("rtsp-camera-test");
    server = new GstRtspServer(tmp, clip, "aisle");
    server.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (source != null) {
      source.stop();
    }
    server.close();
    scheduler.close();
  }

  /** An H.264 Matroska clip at 10 fps, frame i showing {@link CounterPattern} i, a key frame every second. */
  static Path h264Clip(Path file, int frames) throws Exception {
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toString(), CounterPattern.WIDTH, CounterPattern.HEIGHT, 0)) {
      rec.setFormat("matroska");
      rec.setVideoCodec(avcodec.AV_CODEC_ID_H264);
      rec.setFrameRate(FILE_FPS);
      rec.setGopSize(FILE_FPS);
      rec.setVideoBitrate(1_000_000);
      rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      rec.start();
      for (int i = 0; i < frames; i++) {
        rec.record(CounterPattern.javacvFrame(i), avutil.AV_PIX_FMT_BGR24);
      }
      rec.stop();
    }
    return file;
  }

  private void open(double maxFps) {
    source = new OpenCvFrameSource("aisle-cam", new OpenCvFrameSource.Options(server.url(), maxFps, true, false),
        scheduler, frames::add);
    source.start();
  }

  private void awaitFrames(int n, String what) {
    Poll.until(WAIT, () -> frames.size() >= n, n + " frames " + what + " (have " + frames.size() + ", failures "
        + source.failures() + ")");
  }

  @Test
  void deliversTheServedH264FramesInOrderAtMostAtTheCap() {
    open(4); // the stream runs at 10 fps
    awaitFrames(8, "from the RTSP stream");

    List<Frame> got = List.copyOf(frames);
    CounterPattern.assertClean(got);
    List<Integer> counters = got.stream().map(CounterPattern::counter).toList();
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i).cameraId()).isEqualTo("aisle-cam");
      assertThat(got.get(i).sequence()).isEqualTo(i);
      if (i > 0) {
        assertThat(counters.get(i)).as("counter of frame %d in %s", i, counters).isGreaterThan(counters.get(i - 1));
      }
    }
    assertThat(source.skipped()).as("frames decoded but over the cap").isPositive();
    long span = got.get(got.size() - 1).captureMillis() - got.get(0).captureMillis();
    assertThat(span).as("capture span of %d frames", got.size()).isGreaterThanOrEqualTo((got.size() - 2) * 250L);
    assertThat(source.failures()).isZero();
  }

  @Test
  void aServerThatGoesAwayStopsDeliveryUntilReconnectAfterItIsBack() throws Exception {
    open(10);
    awaitFrames(3, "before the server goes away");

    server.stop();
    Poll.until(WAIT, () -> source.failures() >= 1, "the source to notice the closed stream");
    int before = frames.size();
    source.reconnect();
    Poll.until(WAIT, () -> source.failures() >= 2, "the reconnect to a server that is down to fail");
    assertThat(frames).hasSize(before);

    server.start();
    source.reconnect();
    awaitFrames(before + 3, "after the server is back and the source reconnected");
    List<Frame> after = List.copyOf(frames.subList(before, frames.size()));
    CounterPattern.assertClean(after);
    assertThat(after.get(0).sequence()).isEqualTo(before);
  }

  @Test
  void aServerThatHangsFailsTheReadWithinTheTimeoutAndReconnectResumes() throws Exception {
    open(10);
    awaitFrames(3, "before the server hangs");

    server.pause();
    Poll.until(WAIT, () -> source.failures() >= 1, "the read on the silent RTSP connection to time out");
    int before = frames.size();

    server.resume();
    source.reconnect();
    awaitFrames(before + 3, "after the server answers again and the source reconnected");
    CounterPattern.assertClean(frames.subList(before, frames.size()));
  }
}
