package org.storeedge.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.core.time.VirtualScheduler;
import org.storeedge.vision.Frame;

class OpenCvFrameSourceTest {
  @TempDir
  Path tmp;

  private final VirtualScheduler scheduler = new VirtualScheduler(Instant.parse("2026-01-01T08:00:00Z"));

  /** Collects frames; {@link #await} waits for the n-th. */
  private static final class Collector implements org.storeedge.vision.FrameSink {
    final List<Frame> frames = new CopyOnWriteArrayList<>();
    volatile CountDownLatch latch = new CountDownLatch(0);

    @Override
    public void accept(Frame f) {
      frames.add(f);
      latch.countDown();
    }
  }

  /** A 10 fps MPEG-4 video of {@code n} frames, frame i a flat colour: blue for even i, red for odd. */
  private Path video(int n) throws Exception {
    Path file = tmp.resolve("clip.mp4");
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toString(), 160, 120, 0)) {
      rec.setFormat("mp4");
      rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      rec.setFrameRate(10);
      rec.setVideoQuality(2);
      rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      rec.start();
      for (int i = 0; i < n; i++) {
        org.bytedeco.javacv.Frame f = new org.bytedeco.javacv.Frame(160, 120, org.bytedeco.javacv.Frame.DEPTH_UBYTE, 3);
        ByteBuffer b = (ByteBuffer) f.image[0];
        for (int p = 0; p < 160 * 120; p++) {
          b.put(p * 3, (byte) (i % 2 == 0 ? 255 : 0)); // B
          b.put(p * 3 + 1, (byte) 0);
          b.put(p * 3 + 2, (byte) (i % 2 == 0 ? 0 : 255)); // R
        }
        rec.record(f, avutil.AV_PIX_FMT_BGR24);
      }
      rec.stop();
    }
    return file;
  }

  private static int meanChannel(Frame f, int c) {
    long sum = 0;
    for (int i = c; i < f.bgr().length; i += 3) {
      sum += f.bgr()[i] & 0xff;
    }
    return (int) (sum / (f.bgr().length / 3));
  }

  @Test
  void readsAVideoFileInBgrAndCapsTheRateByMediaTime() throws Exception {
    Path clip = video(20); // 2 s at 10 fps
    Collector sink = new Collector();
    sink.latch = new CountDownLatch(10);
    OpenCvFrameSource source = new OpenCvFrameSource("cam-1", new OpenCvFrameSource.Options(clip.toString(), 5, false,
        false), scheduler, sink);
    source.start();
    try {
      assertThat(sink.latch.await(60, TimeUnit.SECONDS)).as("10 frames delivered").isTrue();
    } finally {
      source.stop();
    }
    // 5 fps out of 10: every second frame, i.e. the blue ones
    assertThat(sink.frames).hasSize(10);
    for (int i = 0; i < sink.frames.size(); i++) {
      Frame f = sink.frames.get(i);
      assertThat(f.cameraId()).isEqualTo("cam-1");
      assertThat(f.sequence()).isEqualTo(i);
      assertThat(f.width()).isEqualTo(160);
      assertThat(f.height()).isEqualTo(120);
      assertThat(meanChannel(f, 0)).as("blue of frame %d", i).isGreaterThan(200);
      assertThat(meanChannel(f, 2)).as("red of frame %d", i).isLessThan(50);
      assertThat(f.captureMillis()).isEqualTo(scheduler.millis());
    }
    assertThat(source.skipped()).isGreaterThanOrEqualTo(9);
  }

  @Test
  void anImageIsAStillCameraAtTheFrameRateCapOnTheSchedulersClock() throws Exception {
    Path png = tmp.resolve("still.png");
    try (Mat m = new Mat(90, 120, CV_8UC3, new Scalar(10, 20, 200, 0))) {
      assertThat(imwrite(png.toString(), m)).isTrue();
    }
    Collector sink = new Collector();
    sink.latch = new CountDownLatch(3);
    OpenCvFrameSource source = new OpenCvFrameSource("shelf-cam", new OpenCvFrameSource.Options(png.toString(), 5, true,
        false), scheduler, sink);
    long t0 = scheduler.millis();
    source.start();
    try {
      // drive virtual time: each wait of the capture thread is a timer on the scheduler
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!sink.latch.await(5, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
        scheduler.runNext();
      }
    } finally {
      source.stop();
    }
    assertThat(sink.frames.size()).isGreaterThanOrEqualTo(3);
    Frame first = sink.frames.get(0);
    assertThat(first.width()).isEqualTo(120);
    assertThat(first.height()).isEqualTo(90);
    assertThat(first.bgr()[0] & 0xff).isEqualTo(10);
    assertThat(first.bgr()[2] & 0xff).isEqualTo(200);
    assertThat(sink.frames.subList(0, 3)).extracting(Frame::captureMillis).containsExactly(t0, t0 + 200, t0 + 400);
  }

  @Test
  void aMissingFileIsAClearErrorAtStart() {
    Path missing = tmp.resolve("gone.mp4");
    OpenCvFrameSource source = new OpenCvFrameSource("cam-9", new OpenCvFrameSource.Options(missing.toString(), 5, true,
        false), scheduler, f -> { });
    assertThatThrownBy(source::start).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("camera cam-9: cannot open video " + missing + ": no such file");
  }

  @Test
  void aFileThatIsNotAVideoIsAClearErrorAtStart() throws Exception {
    Path junk = Files.writeString(tmp.resolve("junk.mp4"), "this is not a video");
    OpenCvFrameSource source = new OpenCvFrameSource("cam-9", new OpenCvFrameSource.Options(junk.toString(), 5, true,
        false), scheduler, f -> { });
    assertThatThrownBy(source::start).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("camera cam-9: cannot open file " + junk);
  }

  @Test
  void aMissingDeviceIsAClearErrorAtStart() {
    OpenCvFrameSource source = new OpenCvFrameSource("usb", new OpenCvFrameSource.Options("/dev/video97", 5, true,
        false), scheduler, f -> { });
    assertThatThrownBy(source::start).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("camera usb: cannot open device /dev/video97");
  }

  @Test
  void sourcesAreClassifiedByTheirSpelling() {
    assertThat(OpenCvFrameSource.kindOf("rtsp://10.0.0.5:554/stream1")).isEqualTo(OpenCvFrameSource.Kind.STREAM);
    assertThat(OpenCvFrameSource.kindOf("http://cam/mjpeg")).isEqualTo(OpenCvFrameSource.Kind.STREAM);
    assertThat(OpenCvFrameSource.kindOf("0")).isEqualTo(OpenCvFrameSource.Kind.DEVICE);
    assertThat(OpenCvFrameSource.kindOf("/dev/video2")).isEqualTo(OpenCvFrameSource.Kind.DEVICE);
    assertThat(OpenCvFrameSource.kindOf("/data/shelf.JPG")).isEqualTo(OpenCvFrameSource.Kind.IMAGE);
    assertThat(OpenCvFrameSource.kindOf("/data/aisle.mp4")).isEqualTo(OpenCvFrameSource.Kind.FILE);
  }
}
