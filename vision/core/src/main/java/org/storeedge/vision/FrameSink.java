package org.storeedge.vision;

/**
 * Where a {@link FrameSource} delivers frames. Called on the source's capture thread; an
 * implementation must return at once (hand off, drop and count when it cannot keep up), never
 * block capture. {@link LatestFrameSlot} is the usual sink.
 */
@FunctionalInterface
public interface FrameSink {
  void accept(Frame frame);
}
