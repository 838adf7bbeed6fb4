package org.storeedge.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * The converted ONNX graph, run in ONNX Runtime through the detector's own pre-processing,
 * reproduces the numbers of the original TFLite graph (run in numpy with TFLite's NHWC semantics
 * by {@code vision/models/tools/tflite_reference.py}, written to {@code reference.txt} by
 * {@code convert.sh}) on the same synthetic image.
 */
class ConversionReferenceTest {

  @Test
  void onnxOutputsMatchTheTfliteGraph() throws Exception {
    DetectorConfig config = TestModels.ssd();
    Path reference = config.modelFile().resolveSibling("reference.txt");
    assertThat(reference).as("run vision/models/%s/convert.sh", TestModels.SSD).isRegularFile();
    List<FloatTensor> out;
    try (OnnxDetector detector = OnnxDetector.open(config); Mat image = syntheticImage()) {
      detector.preprocess(image);
      out = detector.run();
    }
    FloatTensor boxes = out.get(0);
    FloatTensor logits = out.get(1);
    assertThat(boxes.shape()).containsExactly(1, 1917, 4);
    assertThat(logits.shape()).containsExactly(1, 1917, 24);
    int checked = 0;
    List<String> mismatches = new ArrayList<>();
    for (String line : Files.readAllLines(reference)) {
      String[] f = line.split(" ");
      if (f[0].equals("sum")) {
        double expected = Double.parseDouble(f[2]);
        double actual = sum(f[1].equals("box_encodings") ? boxes : logits);
        assertThat(actual).as("sum of %s", f[1]).isCloseTo(expected, within(Math.abs(expected) * 1e-3 + 1));
        checked++;
      } else if (f[0].equals("value")) {
        FloatTensor t = f[1].equals("box_encodings") ? boxes : logits;
        int perAnchor = t.dim(2);
        float expected = Float.parseFloat(f[4]);
        float actual = t.data()[Integer.parseInt(f[2]) * perAnchor + Integer.parseInt(f[3])];
        if (Math.abs(actual - expected) > 0.01f + 0.002f * Math.abs(expected)) {
          mismatches.add(line + " but ONNX gave " + actual);
        }
        checked++;
      }
    }
    assertThat(mismatches).isEmpty();
    assertThat(checked).isGreaterThan(300);
  }

  /** RGB (3x + 7y + {0, 50, 100}) mod 256, stored BGR, 300x300 like the model input. */
  private static Mat syntheticImage() {
    byte[] bgr = new byte[300 * 300 * 3];
    for (int y = 0; y < 300; y++) {
      for (int x = 0; x < 300; x++) {
        int base = 3 * x + 7 * y;
        int i = (y * 300 + x) * 3;
        bgr[i + 2] = (byte) (base % 256);
        bgr[i + 1] = (byte) ((base + 50) % 256);
        bgr[i] = (byte) ((base + 100) % 256);
      }
    }
    Mat m = new Mat(300, 300, CV_8UC3);
    m.data().put(bgr, 0, bgr.length);
    return m;
  }

  private static double sum(FloatTensor t) {
    double s = 0;
    for (float v : t.data()) {
      s += v;
    }
    return s;
  }
}
