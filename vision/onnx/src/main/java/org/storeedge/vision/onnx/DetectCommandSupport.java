package org.storeedge.vision.onnx;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import ai.onnxruntime.OrtException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.storeedge.core.json.Json;
import org.storeedge.vision.Detection;

/**
 * The work behind the technician's {@code storeedge detect --image FILE [--model NAME]}: runs one
 * model on one image file and returns one JSON object per detection, best first:
 * {@code {"label":"person","score":0.87,"box":[x,y,w,h]}} with the box in the image's pixels.
 * The CLI prints the lines and exits 0, or prints the {@link DetectException}'s message and exits
 * 2. Each call loads the model and releases it; thread-safe.
 */
public final class DetectCommandSupport {
  /** The model used when none is named. */
  public static final String DEFAULT_MODEL = "ssd-mobilenetv2-oidv4";

  private final java.util.function.Function<String, DetectorConfig> models;

  public DetectCommandSupport(ModelRegistry registry) {
    this(registry::resolve);
  }

  /**
   * @param models a model's configuration by name or directory; throws IllegalArgumentException
   *     for one it cannot find or read (e.g. a gateway's installed models before its shipped ones)
   */
  public DetectCommandSupport(java.util.function.Function<String, DetectorConfig> models) {
    this.models = models;
  }

  /** A bad image or model argument, or a model that cannot run; the message says which and why. */
  public static final class DetectException extends Exception {
    private static final long serialVersionUID = 1L;

    public DetectException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * @param image an image file OpenCV can decode (JPEG, PNG, BMP, ...)
   * @param model a model name the models resolve (under the registry's directory) or a model directory; null for
   *     {@link #DEFAULT_MODEL}
   */
  public List<String> detectJsonLines(Path image, String model) throws DetectException {
    String modelName = model == null || model.isBlank() ? DEFAULT_MODEL : model;
    if (!Files.isRegularFile(image) || !Files.isReadable(image)) {
      throw new DetectException("cannot read image " + image + ": no such readable file", null);
    }
    DetectorConfig config;
    try {
      config = models.apply(modelName);
    } catch (IllegalArgumentException e) {
      throw new DetectException(e.getMessage(), e);
    }
    try (Mat bgr = imread(image.toString(), IMREAD_COLOR)) {
      if (bgr == null || bgr.empty()) {
        throw new DetectException("cannot decode image " + image + ": not an image format OpenCV reads", null);
      }
      try (OnnxDetector detector = OnnxDetector.open(config)) {
        List<String> lines = new ArrayList<>();
        for (Detection d : detector.detect(bgr)) {
          lines.add(toJson(d));
        }
        return lines;
      } catch (OrtException | IllegalArgumentException | IllegalStateException e) {
        throw new DetectException("model " + config.name() + " (" + config.modelFile() + ") cannot run: " + e.getMessage(), e);
      }
    }
  }

  static String toJson(Detection d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("label", d.label());
    m.put("score", round(d.score(), 4));
    m.put("box", List.of(round(d.box().x(), 1), round(d.box().y(), 1), round(d.box().w(), 1), round(d.box().h(), 1)));
    return Json.write(m);
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
