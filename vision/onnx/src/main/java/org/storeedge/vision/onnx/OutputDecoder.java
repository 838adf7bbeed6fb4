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

  /**
   * The logit of a score threshold: a raw score compares with it before its sigmoid is taken, so
   * only kept candidates cost an {@code exp}.
   */
  static float logit(float scoreThreshold) {
    double t = Math.min(Math.max(scoreThreshold, 1e-7), 1 - 1e-7);
    return (float) Math.log(t / (1 - t));
  }

  /**
   * The box and score outputs a two-output decoder reads.
   *
   * @throws IllegalArgumentException when there are not that many outputs
   */
  static List<FloatTensor> boxesAndScores(String decoder, List<FloatTensor> outputs, int boxOutput, int scoreOutput) {
    if (outputs.size() <= Math.max(boxOutput, scoreOutput)) {
      throw new IllegalArgumentException(decoder + " decoder needs outputs " + boxOutput + " and " + scoreOutput
          + " (got: " + outputs + ")");
    }
    return List.of(outputs.get(boxOutput), outputs.get(scoreOutput));
  }
}
