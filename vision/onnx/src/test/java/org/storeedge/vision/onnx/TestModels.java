package org.storeedge.vision.onnx;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Frame;

/** Where the real-model tests find the shipped models and the sample photos. */
final class TestModels {
  private TestModels() {}

  static final String SSD = DetectCommandSupport.DEFAULT_MODEL;
  static final String PALM = "mediapipe-palm";

  /** vision/models of this checkout (Surefire sets storeedge.models.dir). */
  static Path modelsDir() {
    return Path.of(System.getProperty("storeedge.models.dir", "../models")).toAbsolutePath().normalize();
  }

  static ModelRegistry registry() {
    return new ModelRegistry(modelsDir());
  }

  /** The shipped SSD model; fails (never skips) with the command that makes it when missing. */
  static DetectorConfig ssd() {
    Path onnx = modelsDir().resolve(SSD).resolve("model.onnx");
    if (!Files.isRegularFile(onnx)) {
      throw new AssertionError(onnx + " is missing: run scripts/install-test-deps.sh (or vision/models/" + SSD
          + "/convert.sh)");
    }
    return registry().resolve(SSD);
  }

  /** The shipped palm (hand) detector; fails (never skips) with the command that makes it when missing. */
  static DetectorConfig palm() {
    Path onnx = modelsDir().resolve(PALM).resolve("model.onnx");
    if (!Files.isRegularFile(onnx)) {
      throw new AssertionError(onnx + " is missing: run vision/models/" + PALM + "/convert.sh");
    }
    return registry().resolve(PALM);
  }

  /** A photo committed under src/test/resources/photos (sources in its NOTICE). */
  static Path photo(String file) {
    Path p = Path.of("src/test/resources/photos", file).toAbsolutePath();
    if (!Files.isRegularFile(p)) {
      throw new AssertionError("test photo " + p + " is missing");
    }
    return p;
  }

  /** A photo from Debian's darknet package; fails (never skips) with the command that installs it. */
  static Path darknetPhoto(String file) {
    for (String dir : new String[] {"/usr/share/darknet/data", "/usr/share/darknet"}) {
      Path p = Path.of(dir, file);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new AssertionError("sample photo " + file + " from Debian's darknet package is missing:"
        + " run scripts/install-test-deps.sh (apt-get install darknet)");
  }

  /** Decodes an image file into a camera frame. */
  static Frame frame(Path image) {
    try (Mat m = imread(image.toString(), IMREAD_COLOR)) {
      if (m.empty()) {
        throw new AssertionError("cannot decode " + image);
      }
      byte[] bgr = new byte[m.cols() * m.rows() * 3];
      m.data().get(bgr);
      return new Frame("test", 0, 0, m.cols(), m.rows(), bgr);
    }
  }

  static BoundingBox box(double x, double y, double w, double h) {
    return new BoundingBox((float) x, (float) y, (float) w, (float) h);
  }
}
