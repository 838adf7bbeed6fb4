package org.storeedge.vision.onnx;

/**
 * How an image of {@code srcWidth x srcHeight} pixels is placed into the model's {@code
 * dstWidth x dstHeight} input: scaled by {@code scaleX, scaleY} and shifted by {@code padX,
 * padY} (the letterbox border, left and top). Maps points both ways; the mapping back is what
 * turns a model-space box into image pixels. Immutable.
 *
 * <p>{@code model = image * scale + pad}; {@code image = (model - pad) / scale}.
 */
public record ImageTransform(int srcWidth, int srcHeight, int dstWidth, int dstHeight,
    double scaleX, double scaleY, int scaledWidth, int scaledHeight, int padX, int padY) {

  /** How the image is fitted into the model's input. */
  public enum Mode {
    /** Scale each axis to fill the input; aspect ratio not kept (what SSD-MobileNet was trained with). */
    STRETCH,
    /** Scale uniformly to fit, centre, pad the rest (YOLO). */
    LETTERBOX
  }

  public static ImageTransform of(Mode mode, int srcWidth, int srcHeight, int dstWidth, int dstHeight) {
    if (srcWidth <= 0 || srcHeight <= 0 || dstWidth <= 0 || dstHeight <= 0) {
      throw new IllegalArgumentException("image and model sizes must be > 0 (got: " + srcWidth + "x" + srcHeight
          + " -> " + dstWidth + "x" + dstHeight + ")");
    }
    if (mode == Mode.STRETCH) {
      return new ImageTransform(srcWidth, srcHeight, dstWidth, dstHeight, (double) dstWidth / srcWidth,
          (double) dstHeight / srcHeight, dstWidth, dstHeight, 0, 0);
    }
    double s = Math.min((double) dstWidth / srcWidth, (double) dstHeight / srcHeight);
    int w = Math.max(1, Math.min(dstWidth, (int) Math.round(srcWidth * s)));
    int h = Math.max(1, Math.min(dstHeight, (int) Math.round(srcHeight * s)));
    // the exact scale of the resized image, so that mapping back lands on the source's edges
    return new ImageTransform(srcWidth, srcHeight, dstWidth, dstHeight, (double) w / srcWidth,
        (double) h / srcHeight, w, h, (dstWidth - w) / 2, (dstHeight - h) / 2);
  }

  /** Right and bottom border widths of the letterbox. */
  public int padRight() {
    return dstWidth - scaledWidth - padX;
  }

  public int padBottom() {
    return dstHeight - scaledHeight - padY;
  }

  public double toModelX(double imageX) {
    return imageX * scaleX + padX;
  }

  public double toModelY(double imageY) {
    return imageY * scaleY + padY;
  }

  public double toImageX(double modelX) {
    return (modelX - padX) / scaleX;
  }

  public double toImageY(double modelY) {
    return (modelY - padY) / scaleY;
  }
}
