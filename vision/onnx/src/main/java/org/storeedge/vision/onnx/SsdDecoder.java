package org.storeedge.vision.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes SSD outputs: box encodings {@code [1, N, 4]} as {@code (ty, tx, th, tw)} relative to
 * the anchors and divided by the box scales (10, 10, 5, 5 for the TF object-detection API), and
 * class scores {@code [1, N, C]} (logits when {@code sigmoid}). Each anchor yields at most one
 * candidate: its best class that is not ignored (class 0 is usually the background).
 *
 * @param boxOutput index of the box-encodings output
 * @param scoreOutput index of the class-scores output
 * @param boxScales y, x, h, w scales
 * @param ignoredClasses class indices never reported
 */
public record SsdDecoder(SsdAnchors anchors, int numClasses, int inputWidth, int inputHeight, float[] boxScales,
    boolean sigmoid, int[] ignoredClasses, int boxOutput, int scoreOutput) implements OutputDecoder {

  public SsdDecoder {
    if (boxScales.length != 4) {
      throw new IllegalArgumentException("SSD box scales must be 4 values y, x, h, w (got: " + boxScales.length + ")");
    }
    if (numClasses <= 0) {
      throw new IllegalArgumentException("SSD number of classes must be > 0 (got: " + numClasses + ")");
    }
    boxScales = boxScales.clone();
    ignoredClasses = ignoredClasses.clone();
  }

  @Override
  public List<Candidate> decode(List<FloatTensor> outputs, float scoreThreshold) {
    List<FloatTensor> read = OutputDecoder.boxesAndScores("SSD", outputs, boxOutput, scoreOutput);
    FloatTensor boxes = read.get(0);
    FloatTensor scores = read.get(1);
    int n = anchors.count();
    if (boxes.data().length != n * 4 || scores.data().length != n * numClasses) {
      throw new IllegalArgumentException("SSD outputs must be [1, " + n + ", 4] and [1, " + n + ", " + numClasses
          + "] (got: " + boxes + " and " + scores + ")");
    }
    boolean[] ignored = new boolean[numClasses];
    for (int c : ignoredClasses) {
      if (c >= 0 && c < numClasses) {
        ignored[c] = true;
      }
    }
    // Compare raw scores with the threshold mapped through the inverse sigmoid: one exp per kept box.
    float rawThreshold = sigmoid ? OutputDecoder.logit(scoreThreshold) : scoreThreshold;
    float[] s = scores.data();
    float[] b = boxes.data();
    List<Candidate> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int best = -1;
      float bestRaw = Float.NEGATIVE_INFINITY;
      int base = i * numClasses;
      for (int c = 0; c < numClasses; c++) {
        if (!ignored[c] && s[base + c] > bestRaw) {
          bestRaw = s[base + c];
          best = c;
        }
      }
      if (best < 0 || bestRaw < rawThreshold) {
        continue;
      }
      float score = sigmoid ? (float) (1 / (1 + Math.exp(-bestRaw))) : bestRaw;
      float yc = b[i * 4] / boxScales[0] * anchors.height(i) + anchors.yCenter(i);
      float xc = b[i * 4 + 1] / boxScales[1] * anchors.width(i) + anchors.xCenter(i);
      float h = (float) Math.exp(b[i * 4 + 2] / boxScales[2]) * anchors.height(i);
      float w = (float) Math.exp(b[i * 4 + 3] / boxScales[3]) * anchors.width(i);
      out.add(new Candidate(best, Math.min(1f, Math.max(0f, score)),
          (xc - w / 2) * inputWidth, (yc - h / 2) * inputHeight,
          (xc + w / 2) * inputWidth, (yc + h / 2) * inputHeight));
    }
    return out;
  }
}
