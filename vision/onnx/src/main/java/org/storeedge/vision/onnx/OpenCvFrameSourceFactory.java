package org.storeedge.vision.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.Settings;
import org.storeedge.core.time.Scheduler;
import org.storeedge.vision.FrameSink;
import org.storeedge.vision.FrameSourceFactory;
import org.storeedge.vision.FrameSource;

/**
 * Cameras of {@code type: opencv}. Settings: {@code source} (file, URL, {@code /dev/videoN} or
 * index; required), {@code fps} [5], {@code realtime} [true], {@code loop} [false].
 */
public final class OpenCvFrameSourceFactory implements FrameSourceFactory {
  private static final Set<String> KEYS = Set.of("source", "fps", "realtime", "loop");

  @Override
  public String type() {
    return "opencv";
  }

  @Override
  public List<ConfigProblem> validate(Settings s) {
    List<ConfigProblem> problems = new ArrayList<>();
    for (String key : s.values().keySet()) {
      if (!KEYS.contains(key)) {
        problems.add(s.problem(key, "unknown key (known: " + KEYS.stream().sorted().toList() + ")"));
      }
    }
    Object src = s.get("source").orElse(null);
    if (src == null || src.toString().isBlank()) {
      problems.add(s.problem("source", "required: a file, URL, /dev/videoN or device index (got: " + src + ")"));
    }
    Object fps = s.get("fps").orElse(null);
    if (fps != null && !(fps instanceof Number n && n.doubleValue() > 0 && n.doubleValue() <= 1000)) {
      problems.add(s.problem("fps", "must be a number in (0, 1000] (got: " + fps + ")"));
    }
    for (String key : List.of("realtime", "loop")) {
      Object v = s.get(key).orElse(null);
      if (v != null && !(v instanceof Boolean)) {
        problems.add(s.problem(key, "must be true or false (got: " + v + ")"));
      }
    }
    return problems;
  }

  @Override
  public FrameSource create(String cameraId, Settings s, Scheduler scheduler, FrameSink sink) {
    OpenCvFrameSource.Options o = new OpenCvFrameSource.Options(s.get("source").map(Object::toString).orElse(""),
        s.get("fps").map(v -> ((Number) v).doubleValue()).orElse(5.0),
        s.get("realtime").map(v -> (Boolean) v).orElse(true), s.get("loop").map(v -> (Boolean) v).orElse(false));
    return new OpenCvFrameSource(cameraId, o, scheduler, sink);
  }
}
