package org.storeedge.vision.onnx;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Models by name: each is a directory {@code <modelsDir>/<name>/} holding {@code model.properties}
 * (input size, normalisation, decoder, thresholds), the {@code .onnx} file and a labels file (one
 * class name per line, line i = class i). A model can also be given as a path to such a
 * directory. Reads files only when asked; thread-safe.
 *
 * <p>{@code model.properties} keys (defaults in brackets): {@code file} [model.onnx], {@code
 * labels} [labels.txt], {@code input.width}, {@code input.height}, {@code input.layout}
 * [NCHW|NHWC], {@code input.colour} [RGB|BGR], {@code input.resize} [stretch|letterbox], {@code
 * input.pad} [114], {@code input.mean} [0,0,0], {@code input.scale} [1/255 x3], {@code outputs}
 * [all], {@code decoder} (ssd|blaze|yolov5|yolov8|yolov11), {@code threshold.score} [0.5], {@code
 * threshold.iou} [0.45], {@code nms.perClass} [true], {@code maxDetections} [100], {@code
 * threads} [1], {@code optimisation} [all|extended|basic|none]; SSD: {@code ssd.minScale}, {@code
 * ssd.maxScale}, {@code ssd.strides}, {@code ssd.aspectRatios}, {@code
 * ssd.reduceBoxesInLowestLayer} [true], {@code ssd.interpolatedScaleAspectRatio} [1], {@code
 * ssd.anchorOffset} [0.5], {@code ssd.fixedAnchorSize} [false], {@code ssd.boxScales} [10,10,5,5],
 * {@code ssd.sigmoid} [true], {@code ssd.ignoreClasses} [none]. {@code blaze} (MediaPipe's palm
 * and face detectors, one class) reads the same anchor keys; its boxes are regressed directly
 * (see {@link BlazeDecoder}). Unknown keys are errors.
 */
public final class ModelRegistry {
  public static final String PROPERTIES = "model.properties";
  private static final Set<String> KEYS = Set.of("file", "labels", "input.width", "input.height", "input.layout",
      "input.colour", "input.resize", "input.pad", "input.mean", "input.scale", "outputs", "decoder",
      "threshold.score", "threshold.iou", "nms.perClass", "maxDetections", "threads", "optimisation",
      "ssd.minScale", "ssd.maxScale", "ssd.strides", "ssd.aspectRatios", "ssd.reduceBoxesInLowestLayer",
      "ssd.interpolatedScaleAspectRatio", "ssd.anchorOffset", "ssd.boxScales", "ssd.sigmoid", "ssd.ignoreClasses",
      "ssd.fixedAnchorSize",
      "description", "source", "licence");

  private final Path modelsDir;

  public ModelRegistry(Path modelsDir) {
    this.modelsDir = modelsDir;
  }

  public Path modelsDir() {
    return modelsDir;
  }

  /** Names of the models under the models directory, sorted; empty when it does not exist. */
  public List<String> names() {
    if (!Files.isDirectory(modelsDir)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(modelsDir)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve(PROPERTIES))).map(d -> d.getFileName().toString()).sorted()
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list models in " + modelsDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The model called {@code nameOrPath} under the models directory, or the model directory (or
   * its {@code model.properties}) at that path.
   *
   * @throws IllegalArgumentException unknown model, or a {@code model.properties} that is wrong
   *     (the message names the file and the key)
   */
  public DetectorConfig resolve(String nameOrPath) {
    if (nameOrPath == null || nameOrPath.isBlank()) {
      throw new IllegalArgumentException("model name must not be blank");
    }
    Path dir;
    if (!nameOrPath.contains("/") && !nameOrPath.contains("\\") && Files.isRegularFile(modelsDir.resolve(nameOrPath).resolve(PROPERTIES))) {
      dir = modelsDir.resolve(nameOrPath);
    } else {
      Path p = Path.of(nameOrPath);
      if (Files.isRegularFile(p) && p.getFileName().toString().equals(PROPERTIES)) {
        dir = p.toAbsolutePath().getParent();
      } else if (Files.isRegularFile(p.resolve(PROPERTIES))) {
        dir = p;
      } else {
        throw new IllegalArgumentException("unknown model '" + nameOrPath + "': not a model name under " + modelsDir
            + " (known: " + names() + ") nor a directory holding " + PROPERTIES);
      }
    }
    return load(dir);
  }

  /** Reads {@code dir/model.properties} and the labels; checks that the model file exists. */
  public static DetectorConfig load(Path dir) {
    return load(dir, dir.toAbsolutePath().normalize().getFileName().toString());
  }

  /** As {@link #load(Path)}, for a model called {@code name} whatever its directory is called (an installed version). */
  public static DetectorConfig load(Path dir, String name) {
    Path propsFile = dir.resolve(PROPERTIES);
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(propsFile, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + propsFile + ": " + e.getMessage(), e);
    }
    Props props = new Props(propsFile, p);
    for (String key : p.stringPropertyNames()) {
      if (!KEYS.contains(key)) {
        throw props.bad(key, "unknown key");
      }
    }
    Path modelFile = dir.resolve(props.string("file", "model.onnx"));
    if (!Files.isRegularFile(modelFile)) {
      throw new IllegalArgumentException("model '" + name + "': model file " + modelFile
          + " is missing (generated models: run scripts/install-test-deps.sh or the model's convert.sh)");
    }
    Path labelsFile = dir.resolve(props.string("labels", "labels.txt"));
    List<String> labels;
    try {
      labels = Files.readAllLines(labelsFile, StandardCharsets.UTF_8).stream().map(String::strip).filter(s -> !s.isEmpty())
          .toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("model '" + name + "': cannot read labels " + labelsFile + ": " + e.getMessage(), e);
    }
    int width = props.positiveInt("input.width", -1);
    int height = props.positiveInt("input.height", -1);
    String decoderName = props.string("decoder", null);
    if (decoderName == null) {
      throw props.bad("decoder", "required (ssd, blaze, yolov5, yolov8 or yolov11)");
    }
    int numClasses = labels.size();
    OutputDecoder decoder = switch (decoderName.toLowerCase(Locale.ROOT)) {
      case "ssd" -> new SsdDecoder(anchors(props, width, height), numClasses, width, height,
          props.floats("ssd.boxScales", new float[] {10, 10, 5, 5}, 4), props.bool("ssd.sigmoid", true),
          ignoredClasses(props), 0, 1);
      case "blaze" -> new BlazeDecoder(anchors(props, width, height), width, height, 0, 1);
      case "yolov5" -> new YoloDecoder(YoloDecoder.Version.V5, numClasses, 0);
      case "yolov8", "yolov11" -> new YoloDecoder(YoloDecoder.Version.V8, numClasses, 0);
      default -> throw props.bad("decoder", "must be ssd, blaze, yolov5, yolov8 or yolov11");
    };
    return new DetectorConfig(name, modelFile, width, height,
        props.enumValue("input.resize", ImageTransform.Mode.class, ImageTransform.Mode.STRETCH), props.intValue("input.pad", 114),
        props.enumValue("input.colour", DetectorConfig.ColourOrder.class, DetectorConfig.ColourOrder.RGB),
        props.enumValue("input.layout", DetectorConfig.Layout.class, DetectorConfig.Layout.NCHW),
        props.floats("input.mean", new float[] {0, 0, 0}, 3),
        props.floats("input.scale", new float[] {1 / 255f, 1 / 255f, 1 / 255f}, 3),
        outputNames(props), decoder, labels,
        props.floatValue("threshold.score", 0.5f), props.floatValue("threshold.iou", 0.45f),
        props.bool("nms.perClass", true), props.positiveInt("maxDetections", 100), props.intValue("threads", 1),
        optLevel(props));
  }

  private static SsdAnchors anchors(Props props, int width, int height) {
    float[] ratiosF = props.floats("ssd.aspectRatios", new float[] {1, 2, 0.5f, 3, 0.3333f}, -1);
    double[] ratios = new double[ratiosF.length];
    for (int i = 0; i < ratios.length; i++) {
      ratios[i] = ratiosF[i];
    }
    float[] stridesF = props.floats("ssd.strides", new float[] {16, 32, 64, 128, 256, 512}, -1);
    int[] strides = new int[stridesF.length];
    for (int i = 0; i < strides.length; i++) {
      strides[i] = Math.round(stridesF[i]);
    }
    float offset = props.floatValue("ssd.anchorOffset", 0.5f);
    try {
      return SsdAnchors.generate(new SsdAnchors.Spec(width, height, props.floatValue("ssd.minScale", 0.2f),
          props.floatValue("ssd.maxScale", 0.95f), strides, ratios, props.bool("ssd.reduceBoxesInLowestLayer", true),
          props.floatValue("ssd.interpolatedScaleAspectRatio", 1f), offset, offset,
          props.bool("ssd.fixedAnchorSize", false)));
    } catch (IllegalArgumentException e) {
      throw props.bad("ssd.*", e.getMessage());
    }
  }

  private static int[] ignoredClasses(Props props) {
    float[] ignored = props.floats("ssd.ignoreClasses", new float[0], -1);
    int[] ignoredIdx = new int[ignored.length];
    for (int i = 0; i < ignored.length; i++) {
      ignoredIdx[i] = Math.round(ignored[i]);
    }
    return ignoredIdx;
  }

  private static List<String> outputNames(Props props) {
    List<String> names = props.list("outputs");
    if (new HashSet<>(names).size() != names.size()) {
      throw props.bad("outputs", "names must be distinct");
    }
    return names;
  }

  private static OptLevel optLevel(Props props) {
    String v = props.string("optimisation", "all").toLowerCase(Locale.ROOT);
    return switch (v) {
      case "all" -> OptLevel.ALL_OPT;
      case "extended" -> OptLevel.EXTENDED_OPT;
      case "basic" -> OptLevel.BASIC_OPT;
      case "none" -> OptLevel.NO_OPT;
      default -> throw props.bad("optimisation", "must be all, extended, basic or none");
    };
  }

  /** Typed access to one properties file; errors name the file, the key and the value. */
  private record Props(Path file, Properties p) {
    IllegalArgumentException bad(String key, String message) {
      String got = p.getProperty(key);
      return new IllegalArgumentException(file + ": " + key + ": " + message + (got == null ? "" : " (got: " + got + ")"));
    }

    String string(String key, String def) {
      String v = p.getProperty(key);
      return v == null || v.isBlank() ? def : v.strip();
    }

    int intValue(String key, int def) {
      String v = string(key, null);
      if (v == null) {
        return def;
      }
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw bad(key, "must be an integer");
      }
    }

    int positiveInt(String key, int def) {
      int v = intValue(key, def);
      if (v <= 0) {
        throw bad(key, def < 0 && string(key, null) == null ? "required, an integer > 0" : "must be > 0");
      }
      return v;
    }

    float floatValue(String key, float def) {
      String v = string(key, null);
      if (v == null) {
        return def;
      }
      try {
        return Float.parseFloat(v);
      } catch (NumberFormatException e) {
        throw bad(key, "must be a number");
      }
    }

    boolean bool(String key, boolean def) {
      String v = string(key, null);
      if (v == null) {
        return def;
      }
      if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(v);
      }
      throw bad(key, "must be true or false");
    }

    List<String> list(String key) {
      String v = string(key, null);
      if (v == null) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      for (String s : v.split(",")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
      return out;
    }

    /** Comma-separated numbers; {@code n >= 0} demands exactly n, one value is repeated n times. */
    float[] floats(String key, float[] def, int n) {
      List<String> parts = list(key);
      if (parts.isEmpty()) {
        return def;
      }
      float[] out = new float[parts.size()];
      for (int i = 0; i < out.length; i++) {
        try {
          out[i] = Float.parseFloat(parts.get(i));
        } catch (NumberFormatException e) {
          throw bad(key, "must be comma-separated numbers");
        }
      }
      if (n >= 0 && out.length == 1 && n > 1) {
        float[] rep = new float[n];
        Arrays.fill(rep, out[0]);
        return rep;
      }
      if (n >= 0 && out.length != n) {
        throw bad(key, "needs " + n + " values");
      }
      return out;
    }

    <E extends Enum<E>> E enumValue(String key, Class<E> type, E def) {
      String v = string(key, null);
      if (v == null) {
        return def;
      }
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(v)) {
          return e;
        }
      }
      throw bad(key, "must be one of " + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }
  }
}
