package org.storeedge.vision;

/**
 * One captured camera image, 8-bit BGR interleaved, rows top to bottom, no padding: pixel (x, y)
 * channel c (0 = blue, 1 = green, 2 = red) is at {@code bgr[(y * width + x) * 3 + c]}.
 *
 * <p>Ownership: the producer hands the buffer over with the frame and never writes it again;
 * consumers only read it. The array is not copied (a 1080p frame is 6 MB), so {@code equals} on
 * frames is identity on the buffer.
 *
 * @param cameraId the camera's id from the store config
 * @param sequence per-camera capture counter, starting at 0, increasing by one per captured
 *     frame (gaps mean frames the source itself skipped)
 * @param captureMillis capture time, epoch milliseconds, on the gateway's clock
 * @param width pixels, &gt; 0
 * @param height pixels, &gt; 0
 * @param bgr {@code width * height * 3} bytes
 */
public record Frame(String cameraId, long sequence, long captureMillis, int width, int height, byte[] bgr) {

  public Frame {
    if (cameraId == null || cameraId.isBlank()) {
      throw new IllegalArgumentException("frame cameraId must not be blank (got: " + cameraId + ")");
    }
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("frame of camera " + cameraId + " must have width and height > 0 (got: "
          + width + "x" + height + ")");
    }
    if (bgr == null || (long) bgr.length != (long) width * height * 3) {
      throw new IllegalArgumentException("frame of camera " + cameraId + " must have " + ((long) width * height * 3)
          + " BGR bytes for " + width + "x" + height + " (got: " + (bgr == null ? "null" : bgr.length) + ")");
    }
  }

  /** Bytes per row. */
  public int stride() {
    return width * 3;
  }

  @Override
  public String toString() {
    return "Frame[" + cameraId + " #" + sequence + " @" + captureMillis + " " + width + "x" + height + "]";
  }
}
