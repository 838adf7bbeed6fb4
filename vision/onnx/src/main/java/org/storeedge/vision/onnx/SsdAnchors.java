package org.storeedge.vision.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SSD anchor boxes as MediaPipe's {@code SsdAnchorsCalculator} generates them (the TensorFlow
 * object-detection API's multiple-grid anchor generator): per layer a feature map of {@code
 * ceil(input / stride)} cells, per cell one anchor per aspect ratio at the layer's scale plus one
 * at the geometric mean of this and the next scale; the lowest layer may be reduced to three
 * anchors {@code (0.1, 1), (scale, 2), (scale, 0.5)}. Consecutive layers of one stride share a
 * feature map, so their anchors are listed cell by cell together. Order: layer (group), row,
 * column, anchor, which is the order of the model's box outputs.
 *
 * <p>Coordinates are normalised to the model input: centres and sizes in [0, 1] of its width and
 * height. Immutable.
 *
 * @param count number of anchors
 * @param data {@code count * 4} floats: x centre, y centre, width, height per anchor
 */
public record SsdAnchors(int count, float[] data) {

  /**
   * @param minScale scale of the first layer (fraction of the input size)
   * @param maxScale scale of the last layer
   * @param strides one per layer, input pixels per feature-map cell
   * @param aspectRatios width / height of the anchors of each cell
   * @param interpolatedScaleAspectRatio aspect ratio of the extra anchor between two scales; 0 for none
   * @param fixedAnchorSize every anchor is 1 x 1 (BlazeFace/BlazePalm: the model regresses sizes
   *     directly); only the centres depend on the layers
   */
  public record Spec(int inputWidth, int inputHeight, double minScale, double maxScale, int[] strides,
      double[] aspectRatios, boolean reduceBoxesInLowestLayer, double interpolatedScaleAspectRatio,
      double anchorOffsetX, double anchorOffsetY, boolean fixedAnchorSize) {

    public Spec {
      if (inputWidth <= 0 || inputHeight <= 0) {
        throw new IllegalArgumentException("SSD input size must be > 0 (got: " + inputWidth + "x" + inputHeight + ")");
      }
      if (strides == null || strides.length == 0) {
        throw new IllegalArgumentException("SSD anchors need at least one stride (got: none)");
      }
      if (aspectRatios == null || aspectRatios.length == 0) {
        throw new IllegalArgumentException("SSD anchors need at least one aspect ratio (got: none)");
      }
      for (int s : strides) {
        if (s <= 0) {
          throw new IllegalArgumentException("SSD strides must be > 0 (got: " + Arrays.toString(strides) + ")");
        }
      }
      for (double a : aspectRatios) {
        if (!(a > 0)) {
          throw new IllegalArgumentException("SSD aspect ratios must be > 0 (got: " + Arrays.toString(aspectRatios) + ")");
        }
      }
      if (!(minScale > 0) || !(maxScale >= minScale)) {
        throw new IllegalArgumentException("SSD scales must satisfy 0 < min <= max (got: " + minScale + ", " + maxScale + ")");
      }
      strides = strides.clone();
      aspectRatios = aspectRatios.clone();
    }

    /** The 6-layer SSD-MobileNet configuration (300x300, scales 0.2-0.95, ratios 1, 2, 1/2, 3, 1/3). */
    public static Spec mobileNetSsd(int inputWidth, int inputHeight) {
      return new Spec(inputWidth, inputHeight, 0.2, 0.95, new int[] {16, 32, 64, 128, 256, 512},
          new double[] {1.0, 2.0, 0.5, 3.0, 0.3333}, true, 1.0, 0.5, 0.5, false);
    }

    /** MediaPipe's palm detector (192x192, strides 8, 16, 16, 16, scales 0.1484375-0.75, fixed size): 2016 anchors. */
    public static Spec blazePalm(int inputWidth, int inputHeight) {
      return new Spec(inputWidth, inputHeight, 0.1484375, 0.75, new int[] {8, 16, 16, 16}, new double[] {1.0}, false,
          1.0, 0.5, 0.5, true);
    }

    @Override
    public int[] strides() {
      return strides.clone();
    }

    @Override
    public double[] aspectRatios() {
      return aspectRatios.clone();
    }
  }

  public static SsdAnchors generate(Spec spec) {
    int layers = spec.strides.length;
    List<float[]> out = new ArrayList<>();
    int layer = 0;
    while (layer < layers) {
      // consecutive layers with one stride share a feature map: their anchors go cell by cell together
      List<Double> scales = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      int last = layer;
      while (last < layers && spec.strides[last] == spec.strides[layer]) {
        double scale = scale(spec, last, layers);
        if (last == 0 && spec.reduceBoxesInLowestLayer) {
          scales.add(0.1);
          ratios.add(1.0);
          scales.add(scale);
          ratios.add(2.0);
          scales.add(scale);
          ratios.add(0.5);
        } else {
          for (double r : spec.aspectRatios) {
            scales.add(scale);
            ratios.add(r);
          }
          if (spec.interpolatedScaleAspectRatio > 0) {
            double next = last == layers - 1 ? 1.0 : scale(spec, last + 1, layers);
            scales.add(Math.sqrt(scale * next));
            ratios.add(spec.interpolatedScaleAspectRatio);
          }
        }
        last++;
      }
      int stride = spec.strides[layer];
      int fmH = (int) Math.ceil((double) spec.inputHeight / stride);
      int fmW = (int) Math.ceil((double) spec.inputWidth / stride);
      for (int y = 0; y < fmH; y++) {
        for (int x = 0; x < fmW; x++) {
          for (int a = 0; a < scales.size(); a++) {
            double ratioSqrt = Math.sqrt(ratios.get(a));
            out.add(new float[] {
                (float) ((x + spec.anchorOffsetX) / fmW),
                (float) ((y + spec.anchorOffsetY) / fmH),
                spec.fixedAnchorSize ? 1f : (float) (scales.get(a) * ratioSqrt),
                spec.fixedAnchorSize ? 1f : (float) (scales.get(a) / ratioSqrt)});
          }
        }
      }
      layer = last;
    }
    float[] data = new float[out.size() * 4];
    for (int i = 0; i < out.size(); i++) {
      System.arraycopy(out.get(i), 0, data, i * 4, 4);
    }
    return new SsdAnchors(out.size(), data);
  }

  private static double scale(Spec spec, int layer, int layers) {
    return layers == 1 ? (spec.minScale + spec.maxScale) / 2
        : spec.minScale + (spec.maxScale - spec.minScale) * layer / (layers - 1);
  }

  public float xCenter(int i) {
    return data[i * 4];
  }

  public float yCenter(int i) {
    return data[i * 4 + 1];
  }

  public float width(int i) {
    return data[i * 4 + 2];
  }

  public float height(int i) {
    return data[i * 4 + 3];
  }
}
