package org.storeedge.vision.onnx;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storeedge.core.time.Scheduler;
import org.storeedge.vision.Frame;
import org.storeedge.vision.FrameSink;
import org.storeedge.vision.FrameSource;

/**
 * A camera read through bytedeco's OpenCV and FFmpeg builds:
 *
 * <ul>
 *   <li>an image file (jpg, jpeg, png, bmp, webp, tif, tiff): decoded once with OpenCV, the same
 *       frame delivered at the frame-rate cap (a still camera for tests and demos);
 *   <li>a video file (MP4/H.264, MKV, AVI/MJPEG, ...), an {@code rtsp://}, {@code http://} or
 *       {@code https://} stream, through FFmpeg;
 *   <li>a V4L2 device: {@code /dev/videoN} or a bare index {@code N}, through FFmpeg's
 *       video4linux2 input.
 * </ul>
 *
 * <p>It cannot open: GStreamer pipelines, vendor SDK cameras (Basler, FLIR), CSI cameras that only
 * libcamera drives (use a V4L2 compatibility node or an RTSP bridge). {@link #start} throws an
 * {@link IllegalArgumentException} naming the source for anything it cannot open.
 *
 * <p>Threads: capture runs on a thread named {@code camera-<id>}; frames go to the sink on that
 * thread. Sources deliver at most {@code maxFps} frames per second (extra frames are decoded and
 * dropped, counted in {@link #skipped}): live sources by the clock, files by their media time.
 * Files are paced to their own frame rate on the scheduler's clock ({@code realtime}) or read as
 * fast as the sink takes them; at the end a file loops or the source stops delivering. A stream that breaks stops delivering until {@link
 * #reconnect}. Capture time is the scheduler's time when the frame was decoded.
 */
public final class OpenCvFrameSource implements FrameSource {
  private static final Logger log = LoggerFactory.getLogger(OpenCvFrameSource.class);
  private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff");
  /** Connect and read timeout of a stream: a silent camera is given up after this. */
  static final Duration STREAM_TIMEOUT = Duration.ofSeconds(5);

  /**
   * @param source file path, URL, {@code /dev/videoN} or device index
   * @param maxFps frame-rate cap, &gt; 0
   * @param realtime pace files to their frame rate (live sources pace themselves)
   * @param loop restart a file at its end
   */
  public record Options(String source, double maxFps, boolean realtime, boolean loop) {
    public Options {
      if (source == null || source.isBlank()) {
        throw new IllegalArgumentException("camera source must not be blank");
      }
      if (!(maxFps > 0 && maxFps <= 1000)) {
        throw new IllegalArgumentException("camera fps cap must be in (0, 1000] (got: " + maxFps + ")");
      }
    }
  }

  enum Kind {
    IMAGE,
    FILE,
    STREAM,
    DEVICE
  }

  private final String cameraId;
  private final Options options;
  private final Scheduler scheduler;
  private final FrameSink sink;
  private final Kind kind;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean reconnectRequested = new AtomicBoolean();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile CountDownLatch wake = new CountDownLatch(1);
  private FFmpegFrameGrabber grabber;
  private byte[] still;
  private int stillWidth;
  private int stillHeight;
  private Thread thread;
  private long sequence;

  public OpenCvFrameSource(String cameraId, Options options, Scheduler scheduler, FrameSink sink) {
    if (cameraId == null || cameraId.isBlank()) {
      throw new IllegalArgumentException("camera id must not be blank");
    }
    this.cameraId = cameraId;
    this.options = options;
    this.scheduler = scheduler;
    this.sink = sink;
    this.kind = kindOf(options.source());
  }

  static Kind kindOf(String source) {
    String s = source.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("rtsp://") || lower.startsWith("rtsps://") || lower.startsWith("http://")
        || lower.startsWith("https://")) {
      return Kind.STREAM;
    }
    if (s.matches("\\d+") || s.startsWith("/dev/video")) {
      return Kind.DEVICE;
    }
    int dot = lower.lastIndexOf('.');
    return dot >= 0 && IMAGE_EXTENSIONS.contains(lower.substring(dot + 1)) ? Kind.IMAGE : Kind.FILE;
  }

  @Override
  public String cameraId() {
    return cameraId;
  }

  /** Frames handed to the sink. */
  public long delivered() {
    return delivered.get();
  }

  /** Frames decoded but not delivered because of the frame-rate cap. */
  public long skipped() {
    return skipped.get();
  }

  /** Opens and reads that failed (including the end of a non-looping file). */
  public long failures() {
    return failures.get();
  }

  /** Opens the source (throws when it cannot) and starts the capture thread. */
  @Override
  public synchronized void start() {
    if (running.get()) {
      return;
    }
    open();
    running.set(true);
    thread = new Thread(this::capture, "camera-" + cameraId);
    thread.setDaemon(true);
    thread.start();
  }

  private void open() {
    String src = options.source().strip();
    if (kind == Kind.IMAGE) {
      if (!Files.isRegularFile(Path.of(src))) {
        throw new IllegalArgumentException("camera " + cameraId + ": cannot open image " + src + ": no such file");
      }
      try (Mat m = imread(src, IMREAD_COLOR)) {
        if (m == null || m.empty()) {
          throw new IllegalArgumentException("camera " + cameraId + ": cannot decode image " + src);
        }
        stillWidth = m.cols();
        stillHeight = m.rows();
        still = new byte[stillWidth * stillHeight * 3];
        m.data().get(still);
      }
      return;
    }
    if (kind == Kind.FILE && !Files.isRegularFile(Path.of(src))) {
      throw new IllegalArgumentException("camera " + cameraId + ": cannot open video " + src + ": no such file");
    }
    String path = kind == Kind.DEVICE && src.matches("\\d+") ? "/dev/video" + src : src;
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(path);
    if (kind == Kind.DEVICE) {
      g.setFormat("video4linux2");
      g.setFrameRate(options.maxFps());
    }
    if (kind == Kind.STREAM) {
      if (path.toLowerCase(Locale.ROOT).startsWith("rtsp")) {
        g.setOption("rtsp_transport", "tcp");
      }
      // FFmpeg 8 spells the socket I/O timeout "timeout" (microseconds) for both rtsp (the old
      // "stimeout" is gone) and http (handed down to tcp): connecting to, and each read from, a
      // camera that went silent fails after this instead of blocking the capture thread for ever.
      g.setOption("timeout", Long.toString(STREAM_TIMEOUT.toNanos() / 1000));
      // Live video: no frame-threading delay in the decoder. With frame threads a dead stream
      // still yields the frames the decoder holds, one per timed-out read, before it ends (four
      // reads, 20 s, on 2 cores); this way only the frame the demuxer holds comes out, dropped below.
      g.setVideoOption("flags", "low_delay");
    }
    g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
    try {
      g.start();
      if (!g.hasVideo() || g.getImageWidth() <= 0) {
        throw new IllegalArgumentException("camera " + cameraId + ": " + src + " has no video stream");
      }
    } catch (FFmpegFrameGrabber.Exception | RuntimeException e) {
      releaseQuietly(g);
      if (e instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalArgumentException("camera " + cameraId + ": cannot open " + kind.name().toLowerCase(Locale.ROOT)
          + " " + src + ": " + e.getMessage(), e);
    }
    grabber = g;
  }

  @Override
  public void reconnect() {
    reconnectRequested.set(true);
    wake.countDown();
  }

  /** The capture thread; it alone closes the stream at the end (it may still be in a read when stop() gives up waiting). */
  private void capture() {
    try {
      captureLoop();
    } finally {
      closeSource();
    }
  }

  private void captureLoop() {
    long periodMillis = Math.max(1, Math.round(1000 / options.maxFps()));
    long nextDue = Long.MIN_VALUE;
    long firstTimestampMicros = Long.MIN_VALUE;
    long firstMillis = 0;
    while (running.get()) {
      try {
        if (reconnectRequested.getAndSet(false)) {
          closeSource();
          open();
          firstTimestampMicros = Long.MIN_VALUE;
          log.info("camera {} reopened {}", cameraId, options.source());
        }
        if (kind == Kind.IMAGE) {
          if (still == null) {
            awaitWake(Duration.ofMillis(periodMillis));
            continue;
          }
          deliver(still, stillWidth, stillHeight); // shared: no one writes a delivered buffer
          awaitWake(Duration.ofMillis(periodMillis));
          continue;
        }
        if (grabber == null) {
          awaitWake(null);
          continue;
        }
        long readStart = scheduler.millis();
        org.bytedeco.javacv.Frame f = grabber.grabImage();
        if (kind == Kind.STREAM && f != null && scheduler.millis() - readStart >= STREAM_TIMEOUT.toMillis()) {
          // the read timed out and FFmpeg handed out the frame its parser still held: the frame
          // is stale and the stream dead (the next read would only time out again)
          f = null;
        }
        if (f == null || f.image == null) {
          if (kind == Kind.FILE && options.loop()) {
            grabber.setTimestamp(0);
            firstTimestampMicros = Long.MIN_VALUE;
            nextDue = Long.MIN_VALUE;
            continue;
          }
          failures.incrementAndGet();
          log.warn("camera {}: {} ended; waiting for reconnect", cameraId, options.source());
          closeSource();
          continue;
        }
        long now = scheduler.millis();
        // the cap runs on media time for files (so a fast read still subsamples evenly), on the
        // clock for live sources
        long capClock = kind == Kind.FILE ? f.timestamp / 1000 : now;
        if (nextDue != Long.MIN_VALUE && capClock < nextDue) {
          skipped.incrementAndGet();
          continue;
        }
        nextDue = (nextDue == Long.MIN_VALUE || capClock - nextDue > periodMillis) ? capClock + periodMillis
            : nextDue + periodMillis;
        if (kind == Kind.FILE && options.realtime()) {
          if (firstTimestampMicros == Long.MIN_VALUE) {
            firstTimestampMicros = f.timestamp;
            firstMillis = now;
          }
          long due = firstMillis + (f.timestamp - firstTimestampMicros) / 1000;
          if (due > now) {
            awaitWake(Duration.ofMillis(due - now));
          }
        }
        deliver(copyBgr(f), f.imageWidth, f.imageHeight);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        failures.incrementAndGet();
        log.warn("camera {}: {} failed: {}; waiting for reconnect", cameraId, options.source(), e.toString());
        closeSource();
      }
    }
  }

  private void deliver(byte[] bgr, int width, int height) {
    sink.accept(new Frame(cameraId, sequence++, scheduler.millis(), width, height, bgr));
    delivered.incrementAndGet();
  }

  /** One bulk copy per row when FFmpeg pads rows, one for the whole image otherwise. */
  private static byte[] copyBgr(org.bytedeco.javacv.Frame f) {
    int w = f.imageWidth;
    int h = f.imageHeight;
    int row = w * 3;
    byte[] out = new byte[row * h];
    ByteBuffer buf = ((ByteBuffer) f.image[0]).duplicate();
    buf.rewind();
    int stride = f.imageStride; // in bytes for 8-bit images
    if (stride == row) {
      buf.get(out, 0, out.length);
    } else {
      for (int y = 0; y < h; y++) {
        buf.position(y * stride);
        buf.get(out, y * row, row);
      }
    }
    return out;
  }

  /** Waits on the scheduler's clock (virtual time in tests) or until woken by reconnect/stop. */
  private void awaitWake(Duration timeout) throws InterruptedException {
    CountDownLatch latch = new CountDownLatch(1);
    wake = latch;
    if (reconnectRequested.get() || !running.get()) {
      return;
    }
    // the timer is set from the scheduler's own thread: a virtual scheduler takes only execute()
    // from other threads
    AtomicReference<Scheduler.Cancellable> timer = new AtomicReference<>();
    if (timeout != null) {
      scheduler.execute(() -> timer.set(scheduler.schedule(timeout, latch::countDown)));
    }
    try {
      latch.await();
    } finally {
      Scheduler.Cancellable t = timer.get();
      if (t != null) {
        t.cancel();
      }
    }
  }

  private void closeSource() {
    if (grabber != null) {
      releaseQuietly(grabber);
      grabber = null;
    }
    if (kind == Kind.IMAGE) {
      still = null;
    }
  }

  private static void releaseQuietly(FFmpegFrameGrabber g) {
    try {
      g.release();
    } catch (Exception e) {
      // a grabber that fails to release has nothing more we could free
    }
  }

  @Override
  public void stop() {
    Thread t;
    synchronized (this) {
      if (!running.getAndSet(false)) {
        return;
      }
      t = thread;
    }
    wake.countDown();
    try {
      t.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      log.warn("camera {}: capture thread still blocked in a read after stop; it closes the stream when the read returns",
          cameraId);
    }
  }
}
