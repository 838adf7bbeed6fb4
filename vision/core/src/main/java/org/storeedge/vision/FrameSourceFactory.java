package org.storeedge.vision;

import java.util.List;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.Settings;
import org.storeedge.core.time.Scheduler;

/**
 * Makes frame sources of one {@code type} (e.g. {@code opencv}, {@code simulated}). Found once
 * at start-up into a registry that is passed in.
 */
public interface FrameSourceFactory {
  /** The {@code type:} value in the camera's config this factory serves. */
  String type();

  /** Checks the camera's settings at config load; an empty list means valid. */
  List<ConfigProblem> validate(Settings settings);

  /** Creates the source; does no I/O (it opens in {@code start()}). */
  FrameSource create(String cameraId, Settings settings, Scheduler scheduler, FrameSink sink);
}
