package org.storeedge.vision.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the outputs of MediaPipe's Blaze detectors (BlazePalm, BlazeFace) as its {@code
 * TensorsToDetectionsCalculator} does for them: regressors {@code [1, N, K]} whose first four
 * values are the box centre x, y and size w, h in model-input pixels relative to the anchor
 * (anchors of fixed size 1, so sizes are regressed directly), followed by keypoints this decoder
 * does not use; one score logit per anchor {@code [1, N, 1]}, clipped to +-100 and passed through
 * a sigmoid. Every candidate is class 0.
 *
 * @param boxOutput index of the regressors output
 * @param scoreOutput index of the scores output
 */
public record BlazeDecoder(SsdAnchors anchors, int inputWidth, int inputHeight, int boxOutput, int scoreOutput)
    implements OutputDecoder {
  private static final float SCORE_CLIP = 100f;

  @Override
  public List<Candidate> decode(List<FloatTensor> outputs, float scoreThreshold) {
    List<FloatTensor> read = OutputDecoder.boxesAndScores("Blaze", outputs, boxOutput, scoreOutput);
    FloatTensor boxes = read.get(0);
    FloatTensor scores = read.get(1);
    int n = anchors.count();
    int k = boxes.data().length / n;
    if (boxes.data().length != n * k || k < 4 || scores.data().length != n) {
      throw new IllegalArgumentException("Blaze outputs must be [1, " + n + ", >=4] and [1, " + n + ", 1] (got: "
          + boxes + " and " + scores + ")");
    }
    float rawThreshold = OutputDecoder.logit(scoreThreshold);
    float[] s = scores.data();
    float[] b = boxes.data();
    List<Candidate> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float raw = Math.max(-SCORE_CLIP, Math.min(SCORE_CLIP, s[i]));
      if (raw < rawThreshold) {
        continue;
      }
      float score = (float) (1 / (1 + Math.exp(-raw)));
      int base = i * k;
      float xc = b[base] / inputWidth * anchors.width(i) + anchors.xCenter(i);
      float yc = b[base + 1] / inputHeight * anchors.height(i) + anchors.yCenter(i);
      float w = b[base + 2] / inputWidth * anchors.width(i);
      float h = b[base + 3] / inputHeight * anchors.height(i);
      if (!(w > 0) || !(h > 0)) {
        continue;
      }
      out.add(new Candidate(0, score, (xc - w / 2) * inputWidth, (yc - h / 2) * inputHeight,
          (xc + w / 2) * inputWidth, (yc + h / 2) * inputHeight));
    }
    return out;
  }

  @Override
  public int numClasses() {
    return 1;
  }
}
