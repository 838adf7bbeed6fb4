package org.storeedge.vision.onnx;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@link OnnxDetector} needs to run one model. Usually read from a model directory's
 * {@code model.properties} by {@link ModelRegistry}; the {@code with*} methods override single
 * values (thresholds, threads) from the agent's config. Immutable.
 *
 * @param name for logs and metrics
 * @param modelFile the {@code .onnx} file
 * @param inputWidth model input width in pixels
 * @param inputHeight model input height in pixels
 * @param resize how the frame is fitted into the input
 * @param padValue grey level (0-255) of the letterbox border
 * @param colourOrder channel order the model expects
 * @param layout tensor layout of the model input
 * @param mean per channel, in the model's channel order, in 0-255 pixel units
 * @param scale per channel: model value = (pixel - mean) * scale
 * @param outputNames the session outputs handed to the decoder, in this order; empty = all, in
 *     the model's order
 * @param labels class names by class index
 * @param scoreThreshold detections below it are dropped, in [0, 1]
 * @param iouThreshold non-max suppression overlap, in [0, 1]
 * @param perClassNms true: only boxes of one class suppress each other; false: class-agnostic
 * @param maxDetections at most this many per frame
 * @param intraOpThreads ONNX Runtime intra-op threads; 0 lets the runtime choose (all cores)
 * @param optimisation ONNX Runtime graph optimisation level
 */
public record DetectorConfig(String name, Path modelFile, int inputWidth, int inputHeight, ImageTransform.Mode resize,
    int padValue, ColourOrder colourOrder, Layout layout, float[] mean, float[] scale, List<String> outputNames,
    OutputDecoder decoder, List<String> labels, float scoreThreshold, float iouThreshold, boolean perClassNms,
    int maxDetections, int intraOpThreads, OptLevel optimisation) {

  public enum ColourOrder {
    RGB,
    BGR
  }

  public enum Layout {
    NCHW,
    NHWC
  }

  public DetectorConfig {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("model name must not be blank (got: " + name + ")");
    }
    if (inputWidth <= 0 || inputHeight <= 0) {
      throw new IllegalArgumentException("model " + name + ": input size must be > 0 (got: " + inputWidth + "x" + inputHeight + ")");
    }
    if (padValue < 0 || padValue > 255) {
      throw new IllegalArgumentException("model " + name + ": pad value must be in [0, 255] (got: " + padValue + ")");
    }
    if (mean.length != 3 || scale.length != 3) {
      throw new IllegalArgumentException("model " + name + ": mean and scale need 3 values (got: " + mean.length + ", "
          + scale.length + ")");
    }
    if (!(scoreThreshold >= 0 && scoreThreshold <= 1)) {
      throw new IllegalArgumentException("model " + name + ": score threshold must be in [0, 1] (got: " + scoreThreshold + ")");
    }
    if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
      throw new IllegalArgumentException("model " + name + ": IoU threshold must be in [0, 1] (got: " + iouThreshold + ")");
    }
    if (maxDetections <= 0) {
      throw new IllegalArgumentException("model " + name + ": max detections must be > 0 (got: " + maxDetections + ")");
    }
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("model " + name + ": threads must be >= 0 (got: " + intraOpThreads + ")");
    }
    if (labels.size() < decoder.numClasses()) {
      throw new IllegalArgumentException("model " + name + ": " + decoder.numClasses() + " classes but only "
          + labels.size() + " labels");
    }
    mean = mean.clone();
    scale = scale.clone();
    outputNames = List.copyOf(outputNames);
    labels = List.copyOf(labels);
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] scale() {
    return scale.clone();
  }

  public String label(int classIndex) {
    return classIndex >= 0 && classIndex < labels.size() ? labels.get(classIndex) : "class_" + classIndex;
  }

  public DetectorConfig withScoreThreshold(float t) {
    return new DetectorConfig(name, modelFile, inputWidth, inputHeight, resize, padValue, colourOrder, layout, mean,
        scale, outputNames, decoder, labels, t, iouThreshold, perClassNms, maxDetections, intraOpThreads, optimisation);
  }

  public DetectorConfig withIouThreshold(float t) {
    return new DetectorConfig(name, modelFile, inputWidth, inputHeight, resize, padValue, colourOrder, layout, mean,
        scale, outputNames, decoder, labels, scoreThreshold, t, perClassNms, maxDetections, intraOpThreads, optimisation);
  }

  public DetectorConfig withThreads(int threads) {
    return new DetectorConfig(name, modelFile, inputWidth, inputHeight, resize, padValue, colourOrder, layout, mean,
        scale, outputNames, decoder, labels, scoreThreshold, iouThreshold, perClassNms, maxDetections, threads, optimisation);
  }

  public DetectorConfig withOptimisation(OptLevel level) {
    return new DetectorConfig(name, modelFile, inputWidth, inputHeight, resize, padValue, colourOrder, layout, mean,
        scale, outputNames, decoder, labels, scoreThreshold, iouThreshold, perClassNms, maxDetections, intraOpThreads, level);
  }
}
