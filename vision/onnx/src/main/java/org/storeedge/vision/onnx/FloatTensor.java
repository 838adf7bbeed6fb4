package org.storeedge.vision.onnx;

import java.util.Arrays;

/**
 * One model output copied out of the runtime: row-major floats and their shape. The array is
 * owned by whoever built the tensor; decoders only read it.
 */
public record FloatTensor(String name, float[] data, long[] shape) {

  public FloatTensor {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException("output " + name + " has shape " + Arrays.toString(shape) + " = " + n
          + " values but " + data.length + " floats");
    }
  }

  public int dim(int i) {
    return (int) shape[i];
  }

  public int rank() {
    return shape.length;
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
