package org.storeedge.vision.onnx;

import java.util.Arrays;
import org.storeedge.vision.Frame;

/**
 * Interleaved timing of the shipped SSD model, robust to a machine shared with other work: each
 * round times raw {@code session.run} (on a prepared input) and the full {@code detect(Frame)}
 * back to back on the same photo, and the medians are compared, so load that comes and goes
 * affects both alike. Prints median and 90th percentile in milliseconds and the overhead of
 * pre- and post-processing.
 *
 * <pre>
 *   cd vision/onnx
 *   mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
 *   java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
 *     -Dstoreedge.models.dir=../models org.storeedge.vision.onnx.DetectTiming [rounds] [threads]
 * </pre>
 */
public final class DetectTiming {
  private DetectTiming() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Frame[] frames = {TestModels.frame(TestModels.darknetPhoto("person.jpg")),
        TestModels.frame(TestModels.darknetPhoto("dog.jpg"))};
    try (OnnxDetector detector = OnnxDetector.open(TestModels.ssd().withThreads(threads))) {
      for (int i = 0; i < 30; i++) { // warm-up
        detector.detect(frames[i % 2]);
        detector.run();
      }
      long[] raw = new long[rounds];
      long[] full = new long[rounds];
      long[] pre = new long[rounds];
      for (int i = 0; i < rounds; i++) {
        Frame f = frames[i % 2];
        long t0 = System.nanoTime();
        detector.detect(f);
        long t1 = System.nanoTime();
        detector.run();
        long t2 = System.nanoTime();
        full[i] = t1 - t0;
        raw[i] = t2 - t1;
        long t3 = System.nanoTime();
        detector.preprocess(toMat(f, detector));
        pre[i] = System.nanoTime() - t3;
      }
      double rawMed = percentile(raw, 50);
      double fullMed = percentile(full, 50);
      System.out.printf("model %s, %d intra-op threads, %d rounds, photos 640x424 and 768x576%n",
          detector.name(), threads, rounds);
      System.out.printf("session.run      median %.2f ms  p90 %.2f ms%n", rawMed, percentile(raw, 90));
      System.out.printf("detect(Frame)    median %.2f ms  p90 %.2f ms%n", fullMed, percentile(full, 90));
      System.out.printf("pre-processing   median %.2f ms (resize, colour, normalise, layout)%n", percentile(pre, 50));
      System.out.printf("overhead of pre+post-processing: %.1f%% of session.run%n", 100 * (fullMed - rawMed) / rawMed);
    }
  }

  private static org.bytedeco.opencv.opencv_core.Mat mat;

  private static org.bytedeco.opencv.opencv_core.Mat toMat(Frame f, OnnxDetector d) {
    if (mat == null || mat.cols() != f.width() || mat.rows() != f.height()) {
      mat = new org.bytedeco.opencv.opencv_core.Mat(f.height(), f.width(),
          org.bytedeco.opencv.global.opencv_core.CV_8UC3);
    }
    mat.data().put(f.bgr(), 0, f.bgr().length);
    return mat;
  }

  private static double percentile(long[] nanos, int p) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)] / 1e6;
  }
}
