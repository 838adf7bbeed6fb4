package org.storeedge.vision.onnx;

/**
 * A decoded box before non-max suppression, corners in model-input pixels.
 *
 * @param classIndex index into the model's class list
 * @param score in [0, 1]
 */
public record Candidate(int classIndex, float score, float x1, float y1, float x2, float y2) {

  public float area() {
    return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  }

  public float iou(Candidate o) {
    float iw = Math.min(x2, o.x2) - Math.max(x1, o.x1);
    float ih = Math.min(y2, o.y2) - Math.max(y1, o.y1);
    if (iw <= 0 || ih <= 0) {
      return 0;
    }
    float inter = iw * ih;
    float union = area() + o.area() - inter;
    return union <= 0 ? 0 : inter / union;
  }
}
