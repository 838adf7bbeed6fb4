package org.storeedge.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * The converted ONNX graph, run in ONNX Runtime through the detector's own pre-processing,
 * reproduces the numbers of the original TFLite graph (run in numpy with TFLite's NHWC semantics
 * by {@code vision/models/tools/tflite_reference.py}, written to {@code reference.txt} by
 * {@code convert.sh}) on the same synthetic image: the SSD person detector and the palm detector.
 */
class ConversionReferenceTest {

  @Test
  void ssdOutputsMatchTheTfliteGraph() throws Exception {
    matchesReference(TestModels.ssd(), TestModels.SSD, new long[] {1, 1917, 4}, new long[] {1, 1917, 24});
  }

  @Test
  void palmOutputsMatchTheTfliteGraph() throws Exception {
    matchesReference(TestModels.palm(), TestModels.PALM, new long[] {1, 2016, 18}, new long[] {1, 2016, 1});
  }

  private static void matchesReference(DetectorConfig config, String model, long[] firstShape, long[] secondShape)
      throws Exception {
    Path reference = config.modelFile().resolveSibling("reference.txt");
    assertThat(reference).as("run vision/models/%s/convert.sh", model).isRegularFile();
    List<FloatTensor> out;
    try (OnnxDetector detector = OnnxDetector.open(config);
         Mat image = syntheticImage(config.inputWidth(), config.inputHeight())) {
      detector.preprocess(image);
      out = detector.run();
    }
    assertThat(out.get(0).shape()).containsExactly(firstShape);
    assertThat(out.get(1).shape()).containsExactly(secondShape);
    Map<String, FloatTensor> byName = Map.of(config.outputNames().get(0), out.get(0), config.outputNames().get(1),
        out.get(1));
    int checked = 0;
    List<String> mismatches = new ArrayList<>();
    for (String line : Files.readAllLines(reference)) {
      String[] f = line.split(" ");
      if (f[0].equals("sum")) {
        double expected = Double.parseDouble(f[2]);
        double actual = sum(byName.get(f[1]));
        assertThat(actual).as("sum of %s", f[1]).isCloseTo(expected, within(Math.abs(expected) * 1e-3 + 1));
        checked++;
      } else if (f[0].equals("value")) {
        FloatTensor t = byName.get(f[1]);
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
    assertThat(checked).as("numbers compared").isGreaterThan(200);
  }

  /** RGB (3x + 7y + {0, 50, 100}) mod 256, stored BGR, of the model's input size. */
  private static Mat syntheticImage(int w, int h) {
    byte[] bgr = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int base = 3 * x + 7 * y;
        int i = (y * w + x) * 3;
        bgr[i + 2] = (byte) (base % 256);
        bgr[i + 1] = (byte) ((base + 50) % 256);
        bgr[i] = (byte) ((base + 100) % 256);
      }
    }
    Mat m = new Mat(h, w, CV_8UC3);
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
