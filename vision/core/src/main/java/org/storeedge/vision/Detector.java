package org.storeedge.vision;

import java.util.List;

/**
 * Finds objects in a frame. Called from one inference thread at a time (an implementation need
 * not be thread-safe); may take tens of milliseconds. Returns detections after its own score
 * threshold and non-max suppression, boxes in the frame's pixels. A frame it cannot process
 * (wrong size, model failure) is an {@link IllegalArgumentException} or {@link
 * IllegalStateException} with a message; the pipeline logs, counts and skips that frame.
 */
public interface Detector extends AutoCloseable {
  List<Detection> detect(Frame frame);

  /** Name for logs and metrics, e.g. the model's name. */
  default String name() {
    return getClass().getSimpleName();
  }

  /** Releases native resources; never throws. */
  @Override
  default void close() {}
}
