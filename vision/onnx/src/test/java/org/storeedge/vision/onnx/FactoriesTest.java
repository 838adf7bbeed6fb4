package org.storeedge.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.Location;
import org.storeedge.config.Settings;
import org.storeedge.core.time.VirtualScheduler;
import org.storeedge.vision.Detection;
import org.storeedge.vision.Detector;
import org.storeedge.vision.DetectorFactory;
import org.storeedge.vision.FrameSource;
import org.storeedge.vision.FrameSourceFactory;

class FactoriesTest {
  private static Settings settings(Map<String, Object> values) {
    Map<String, Location> locations = new HashMap<>();
    int line = 10;
    for (String k : values.keySet()) {
      locations.put(k, new Location("store.yaml", line++, 7));
    }
    return new Settings("cameras[0].detector", new Location("store.yaml", 9, 5), values, locations);
  }

  @Test
  void bothFactoriesAreFoundAsPlugins() {
    assertThat(ServiceLoader.load(DetectorFactory.class).stream().map(p -> p.get().type())).contains("onnx");
    assertThat(ServiceLoader.load(FrameSourceFactory.class).stream().map(p -> p.get().type())).contains("opencv");
  }

  @Test
  void onnxSettingsAreCheckedWithLocations() {
    OnnxDetectorFactory f = new OnnxDetectorFactory();
    List<ConfigProblem> problems = f.validate(settings(Map.of("scoreThreshold", 1.5, "modle", "x")));
    assertThat(problems).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
        "store.yaml:9:5: cameras[0].detector.model: required: a model name or directory (got: null)",
        "store.yaml:" + lineOf(problems, "scoreThreshold")
            + ":7: cameras[0].detector.scoreThreshold: must be a number in [0, 1] (got: 1.5)",
        "store.yaml:" + lineOf(problems, "modle")
            + ":7: cameras[0].detector.modle: unknown key (known: [iouThreshold, model, modelsDir, scoreThreshold, threads])");
    assertThat(problems).extracting(p -> p.location().line()).contains(10, 11);
    assertThat(f.validate(settings(Map.of("model", "nope", "modelsDir", TestModels.modelsDir().toString()))))
        .singleElement().extracting(ConfigProblem::message).asString().contains("unknown model 'nope'");
  }

  private static int lineOf(List<ConfigProblem> problems, String key) {
    return problems.stream().filter(p -> p.keyPath().endsWith("." + key)).findFirst().orElseThrow().location().line();
  }

  @Test
  void anOnnxDetectorIsCreatedFromSettingsWithOverrides() throws Exception {
    TestModels.ssd();
    Settings s = settings(Map.of("model", TestModels.SSD, "modelsDir", TestModels.modelsDir().toString(),
        "scoreThreshold", 0.6, "threads", 1));
    OnnxDetectorFactory f = new OnnxDetectorFactory();
    assertThat(f.validate(s)).isEmpty();
    try (Detector d = f.create(s)) {
      assertThat(d.name()).isEqualTo(TestModels.SSD);
      assertThat(((OnnxDetector) d).config().scoreThreshold()).isEqualTo(0.6f);
      List<Detection> found = d.detect(TestModels.frame(TestModels.darknetPhoto("person.jpg")));
      assertThat(found).extracting(Detection::label).contains(Detection.PERSON);
      assertThat(found).allMatch(x -> x.score() >= 0.6f);
    }
  }

  @Test
  void openCvSettingsAreCheckedAndCreateNothingUntilStarted() {
    OpenCvFrameSourceFactory f = new OpenCvFrameSourceFactory();
    assertThat(f.validate(settings(Map.of("fps", 0, "loop", "yes")))).extracting(ConfigProblem::message)
        .containsExactlyInAnyOrder("required: a file, URL, /dev/videoN or device index (got: null)",
            "must be a number in (0, 1000] (got: 0)", "must be true or false (got: yes)");
    Settings ok = settings(Map.of("source", "/nonexistent/clip.mp4", "fps", 2));
    assertThat(f.validate(ok)).isEmpty();
    FrameSource source = f.create("aisle-3", ok, new VirtualScheduler(Instant.EPOCH), frame -> { });
    assertThat(source.cameraId()).isEqualTo("aisle-3");
    assertThat(source.name()).isEqualTo("camera aisle-3");
  }
}
