package org.storeedge.vision;

import java.util.List;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.Settings;

/**
 * Makes detectors of one {@code type} (e.g. {@code onnx}). Found once at start-up into a
 * registry that is passed in.
 */
public interface DetectorFactory {
  /** The {@code type:} value in the detector's config this factory serves. */
  String type();

  /** Checks the detector's settings (model path, input size, thresholds...) at config load; empty means valid. */
  List<ConfigProblem> validate(Settings settings);

  /**
   * Creates the detector: loads the model. Throws with a message naming the file when the model
   * cannot be read or is not what the settings describe.
   */
  Detector create(Settings settings) throws Exception;
}
