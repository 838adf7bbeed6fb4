package org.storeedge.vision;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;

/**
 * The only way a frame is ever written anywhere: a technician's debug snapshot, off by default.
 * When armed it keeps at most {@code maxFrames} frames and at most {@code maxBytes} on disk, stops
 * by itself after {@code maxDurationMillis}, blurs every detected person heavily before writing,
 * and logs each file it writes. Frames still never leave the gateway.
 *
 * <p>Thread-safe: armed from a command thread, fed from the inference thread.
 */
public final class DebugSnapshots {
  private static final System.Logger LOG = System.getLogger(DebugSnapshots.class.getName());
  /** Blur cell for persons: coarse enough that no face or clothing detail survives. */
  private static final int CELL = 16;
  /** Caps applied by {@link #arm}: larger requests are cut to these. */
  public static final int MAX_FRAMES = 100;
  public static final long MAX_BYTES = 50L * 1024 * 1024;
  public static final long MAX_DURATION_MILLIS = 15 * 60_000L;

  private final Path dir;
  private final InstantSource clock;
  private int framesLeft;
  private long bytesLeft;
  private long untilMillis;
  private long written;

  public DebugSnapshots(Path dir, InstantSource clock) {
    this.dir = dir;
    this.clock = clock;
  }

  /** Arms the snapshot for at most {@code maxFrames} frames, {@code maxBytes} and {@code maxDurationMillis}. */
  public synchronized void arm(int maxFrames, long maxBytes, long maxDurationMillis) {
    if (maxFrames <= 0 || maxBytes <= 0 || maxDurationMillis <= 0) {
      throw new IllegalArgumentException("debug snapshot limits must be > 0 (got: " + maxFrames + " frames, " + maxBytes
          + " bytes, " + maxDurationMillis + " ms)");
    }
    framesLeft = Math.min(maxFrames, MAX_FRAMES);
    bytesLeft = Math.min(maxBytes, MAX_BYTES);
    untilMillis = clock.millis() + Math.min(maxDurationMillis, MAX_DURATION_MILLIS);
    LOG.log(System.Logger.Level.WARNING, "debug snapshots armed: up to {0} frames, {1} bytes, until {2} (persons blurred)",
        framesLeft, bytesLeft, java.time.Instant.ofEpochMilli(untilMillis));
  }

  public synchronized void disarm() {
    framesLeft = 0;
  }

  public synchronized boolean armed() {
    return framesLeft > 0 && clock.millis() < untilMillis;
  }

  /** Files written since start. */
  public synchronized long written() {
    return written;
  }

  /**
   * Writes {@code frame} with every detection labelled {@code personLabel} blurred, if armed and
   * within limits; returns the file written or null.
   */
  public synchronized Path offer(Frame frame, List<Detection> detections, String personLabel) throws IOException {
    if (!armed()) {
      return null;
    }
    byte[] header = ("P6\n" + frame.width() + " " + frame.height() + "\n255\n").getBytes(StandardCharsets.US_ASCII);
    long size = header.length + (long) frame.width() * frame.height() * 3;
    if (size > bytesLeft) {
      framesLeft = 0;
      LOG.log(System.Logger.Level.WARNING, "debug snapshots stopped: byte limit reached");
      return null;
    }
    byte[] rgb = new byte[frame.bgr().length];
    byte[] src = frame.bgr();
    for (int i = 0; i < src.length; i += 3) {
      rgb[i] = src[i + 2];
      rgb[i + 1] = src[i + 1];
      rgb[i + 2] = src[i];
    }
    for (Detection d : detections) {
      if (d.label().equals(personLabel)) {
        blur(rgb, frame.width(), frame.height(), d.box());
      }
    }
    Files.createDirectories(dir);
    Path file = dir.resolve(frame.cameraId() + "-" + frame.captureMillis() + "-" + frame.sequence() + ".ppm");
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(header);
      out.write(rgb);
    }
    framesLeft--;
    bytesLeft -= size;
    written++;
    LOG.log(System.Logger.Level.WARNING, "debug snapshot written: {0} ({1} persons blurred)", file,
        detections.stream().filter(d -> d.label().equals(personLabel)).count());
    return file;
  }

  /** Replaces each CELL x CELL block inside the box (grown by a margin) by its mean colour. */
  static void blur(byte[] rgb, int width, int height, BoundingBox b) {
    int margin = Math.round(Math.max(b.w(), b.h()) * 0.1f);
    int x0 = Math.max(0, (int) Math.floor(b.x()) - margin);
    int y0 = Math.max(0, (int) Math.floor(b.y()) - margin);
    int x1 = Math.min(width, (int) Math.ceil(b.x() + b.w()) + margin);
    int y1 = Math.min(height, (int) Math.ceil(b.y() + b.h()) + margin);
    for (int by = y0; by < y1; by += CELL) {
      for (int bx = x0; bx < x1; bx += CELL) {
        int ex = Math.min(x1, bx + CELL);
        int ey = Math.min(y1, by + CELL);
        long[] sum = new long[3];
        int n = 0;
        for (int y = by; y < ey; y++) {
          for (int x = bx; x < ex; x++) {
            int i = (y * width + x) * 3;
            sum[0] += rgb[i] & 0xFF;
            sum[1] += rgb[i + 1] & 0xFF;
            sum[2] += rgb[i + 2] & 0xFF;
            n++;
          }
        }
        for (int y = by; y < ey; y++) {
          for (int x = bx; x < ex; x++) {
            int i = (y * width + x) * 3;
            rgb[i] = (byte) (sum[0] / n);
            rgb[i + 1] = (byte) (sum[1] / n);
            rgb[i + 2] = (byte) (sum[2] / n);
          }
        }
      }
    }
  }
}
