package org.storeedge.vision;

import org.storeedge.core.lifecycle.Lifecycle;

/**
 * A camera: a USB/V4L2 device, an RTSP/HTTP stream, a video file or a simulated camera. Created
 * by a {@link FrameSourceFactory} with its sink; from {@link #start} until {@link #stop} it
 * delivers frames to that sink on its own named thread, at most at its configured frame-rate
 * cap. {@code start()} opens the device or stream and throws when it cannot; after that, a
 * stream that breaks is not an exception: the source stops delivering and waits for
 * {@link #reconnect}.
 */
public interface FrameSource extends Lifecycle {
  /** The camera id from the store config; every delivered {@link Frame} carries it. */
  String cameraId();

  /**
   * Asks the source to close and reopen its device or stream (the watchdog calls this when
   * frames stop arriving). Returns at once from any thread; the reopen happens on the source's
   * own thread. A failed reopen is not thrown: the next call tries again.
   */
  void reconnect();

  @Override
  default String name() {
    return "camera " + cameraId();
  }
}
