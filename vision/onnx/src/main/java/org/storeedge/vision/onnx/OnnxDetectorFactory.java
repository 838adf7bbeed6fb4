package org.storeedge.vision.onnx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.Settings;
import org.storeedge.vision.Detector;
import org.storeedge.vision.DetectorFactory;

/**
 * Detectors of {@code type: onnx}. Settings: {@code model} (name under {@code modelsDir} or a
 * model directory; required), {@code modelsDir} [vision/models], and overrides of the model's
 * {@code scoreThreshold}, {@code iouThreshold}, {@code threads}.
 */
public final class OnnxDetectorFactory implements DetectorFactory {
  private static final Set<String> KEYS = Set.of("model", "modelsDir", "scoreThreshold", "iouThreshold", "threads");

  @Override
  public String type() {
    return "onnx";
  }

  @Override
  public List<ConfigProblem> validate(Settings s) {
    List<ConfigProblem> problems = new ArrayList<>();
    for (String key : s.values().keySet()) {
      if (!KEYS.contains(key)) {
        problems.add(s.problem(key, "unknown key (known: " + KEYS.stream().sorted().toList() + ")"));
      }
    }
    if (!(s.get("model").orElse(null) instanceof String m) || m.isBlank()) {
      problems.add(s.problem("model", "required: a model name or directory (got: " + s.get("model").orElse(null) + ")"));
    }
    for (String key : List.of("scoreThreshold", "iouThreshold")) {
      Object v = s.get(key).orElse(null);
      if (v != null && !(v instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1)) {
        problems.add(s.problem(key, "must be a number in [0, 1] (got: " + v + ")"));
      }
    }
    Object t = s.get("threads").orElse(null);
    if (t != null && !(t instanceof Integer i && i >= 0)) {
      problems.add(s.problem("threads", "must be an integer >= 0 (got: " + t + ")"));
    }
    if (problems.isEmpty()) {
      try {
        config(s);
      } catch (IllegalArgumentException e) {
        problems.add(s.problem("model", e.getMessage()));
      }
    }
    return problems;
  }

  @Override
  public Detector create(Settings s) throws Exception {
    return OnnxDetector.open(config(s));
  }

  private static DetectorConfig config(Settings s) {
    Path dir = Path.of(s.get("modelsDir").map(Object::toString).orElse("vision/models"));
    DetectorConfig c = new ModelRegistry(dir).resolve(s.get("model").map(Object::toString).orElse(""));
    if (s.get("scoreThreshold").orElse(null) instanceof Number n) {
      c = c.withScoreThreshold(n.floatValue());
    }
    if (s.get("iouThreshold").orElse(null) instanceof Number n) {
      c = c.withIouThreshold(n.floatValue());
    }
    if (s.get("threads").orElse(null) instanceof Integer n) {
      c = c.withThreads(n);
    }
    return c;
  }
}
