package org.storeedge.simulator.camera;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.storeedge.vision.Detection;
import org.storeedge.vision.onnx.DetectorConfig;
import org.storeedge.vision.onnx.ModelRegistry;
import org.storeedge.vision.onnx.OnnxDetector;

/** The shipped sim-person model, through the project's ONNX detector, on frames it was not trained on. */
class SimPersonDetectionTest {

  static Path modelDir() {
    return Path.of(System.getProperty("storeedge.models.dir", "../vision/models")).resolve("sim-person");
  }

  @Test
  void findsTheRenderedShoppers() throws Exception {
    DetectorConfig config = ModelRegistry.load(modelDir());
    assertThat(config.labels()).containsExactly("person");
    SimPersonEvaluation.Result result;
    try (OnnxDetector detector = OnnxDetector.open(config)) {
      result = SimPersonEvaluation.run(detector, CameraTestSupport.demoStore(), 4242, 24, 320, 240);
    }
    System.out.println("sim-person on 24 unseen frames: " + result);
    assertThat(result.score().tp() + result.score().fn()).as("clearly visible persons").isGreaterThan(20);
    assertThat(result.score().recall()).isGreaterThanOrEqualTo(0.8);
    assertThat(result.score().precision()).isGreaterThanOrEqualTo(0.7);
    for (Detection d : result.sample()) {
      assertThat(d.label()).isEqualTo("person");
    }
  }

  @Test
  void theOverheadModelFindsShoppersSeenFromTheCeiling() throws Exception {
    DetectorConfig config = ModelRegistry.load(modelDir().resolveSibling("sim-person-overhead"));
    assertThat(config.labels()).containsExactly("person");
    SimPersonEvaluation.Result result;
    try (OnnxDetector detector = OnnxDetector.open(config)) {
      // fewer persons per frame than in corner views: 80 frames hold about 70
      result = SimPersonEvaluation.run(detector, CameraTestSupport.demoStore(), 4244, 80, 320, 240, true);
    }
    System.out.println("sim-person-overhead on 80 unseen frames: " + result);
    assertThat(result.score().tp() + result.score().fn()).as("clearly visible persons").isGreaterThan(40);
    assertThat(result.score().recall()).isGreaterThanOrEqualTo(0.8);
    assertThat(result.score().precision()).isGreaterThanOrEqualTo(0.7);
  }
}
