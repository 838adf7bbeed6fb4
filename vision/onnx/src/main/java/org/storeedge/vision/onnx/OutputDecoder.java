package org.storeedge.vision.onnx;

import java.util.List;

/**
 * Turns a model's raw outputs into scored boxes in model-input pixels, before non-max
 * suppression. Implementations are immutable and thread-safe.
 */
public interface OutputDecoder {

  /**
   * @param outputs the session's outputs in the model's output order
   * @param scoreThreshold candidates scoring below it are left out
   * @throws IllegalArgumentException when the outputs do not have the shapes this decoder expects
   */
  List<Candidate> decode(List<FloatTensor> outputs, float scoreThreshold);

  /** Number of classes the decoder expects from the model. */
  int numClasses();
}
