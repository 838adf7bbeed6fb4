package org.storeedge.vision.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the single output of Ultralytics YOLO exports, boxes as centre x, centre y, width,
 * height in model-input pixels:
 *
 * <ul>
 *   <li>{@link Version#V5}: {@code [1, N, 5 + C]}, per box {@code cx, cy, w, h, objectness,
 *       class scores}; score = objectness x class score.
 *   <li>{@link Version#V8} (also YOLOv11): {@code [1, 4 + C, N]}, no objectness; score = class
 *       score. A transposed {@code [1, N, 4 + C]} export is accepted too.
 * </ul>
 * Scores are taken as probabilities (these exports apply the sigmoid in the graph).
 *
 * @param output index of the detections output
 */
public record YoloDecoder(Version version, int numClasses, int output) implements OutputDecoder {

  public enum Version {
    V5,
    V8
  }

  public YoloDecoder {
    if (numClasses <= 0) {
      throw new IllegalArgumentException("YOLO number of classes must be > 0 (got: " + numClasses + ")");
    }
  }

  @Override
  public List<Candidate> decode(List<FloatTensor> outputs, float scoreThreshold) {
    if (outputs.size() <= output) {
      throw new IllegalArgumentException("YOLO decoder needs output " + output + " (got: " + outputs + ")");
    }
    FloatTensor t = outputs.get(output);
    int perBox = version == Version.V5 ? 5 + numClasses : 4 + numClasses;
    if (t.rank() != 3 || t.dim(0) != 1) {
      throw new IllegalArgumentException("YOLO output must be [1, *, *] (got: " + t + ")");
    }
    // boxMajor: values of one box are contiguous ([1, N, perBox]); otherwise channel-major ([1, perBox, N])
    boolean boxMajor;
    int n;
    if (version == Version.V5) {
      if (t.dim(2) != perBox) {
        throw new IllegalArgumentException("YOLOv5 output must be [1, N, " + perBox + "] (got: " + t + ")");
      }
      boxMajor = true;
      n = t.dim(1);
    } else if (t.dim(1) == perBox) {
      boxMajor = false;
      n = t.dim(2);
    } else if (t.dim(2) == perBox) {
      boxMajor = true;
      n = t.dim(1);
    } else {
      throw new IllegalArgumentException("YOLOv8 output must be [1, " + perBox + ", N] (got: " + t + ")");
    }
    float[] d = t.data();
    int stride = boxMajor ? 1 : n;
    List<Candidate> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int base = boxMajor ? i * perBox : i;
      float objectness = 1f;
      int classBase = 4;
      if (version == Version.V5) {
        objectness = d[base + 4 * stride];
        classBase = 5;
        if (objectness < scoreThreshold) {
          continue;
        }
      }
      int best = 0;
      float bestScore = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < numClasses; c++) {
        float v = d[base + (classBase + c) * stride];
        if (v > bestScore) {
          bestScore = v;
          best = c;
        }
      }
      float score = bestScore * objectness;
      if (!(score >= scoreThreshold)) {
        continue;
      }
      float cx = d[base];
      float cy = d[base + stride];
      float w = d[base + 2 * stride];
      float h = d[base + 3 * stride];
      out.add(new Candidate(best, Math.min(1f, score), cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2));
    }
    return out;
  }
}
