package org.storeedge.vision.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Frame;
import org.storeedge.vision.track.Appearance;
import org.storeedge.vision.track.StaticBackground;

/**
 * Milliseconds per frame that what shoppers look like costs a camera: learning the background
 * from the frame and one colour histogram per person box ({@code persons} boxes of a sixth of the
 * picture's height), on a frame of noise.
 *
 * <pre>
 *   scripts/bench.sh vision/onnx LookBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LookBenchmark {
  @Param({"320x240", "1280x720"})
  String size;

  @Param({"4", "12"})
  int persons;

  private Frame frame;
  private final StaticBackground background = new StaticBackground();
  private final List<BoundingBox> boxes = new ArrayList<>();

  @Setup(Level.Trial)
  public void setUp() {
    int w = Integer.parseInt(size.substring(0, size.indexOf('x')));
    int h = Integer.parseInt(size.substring(size.indexOf('x') + 1));
    byte[] bgr = new byte[w * h * 3];
    new Random(1).nextBytes(bgr);
    frame = new Frame("bench", 0, 0, w, h, bgr);
    background.update(frame, List.of());
    Random r = new Random(2);
    for (int i = 0; i < persons; i++) {
      double bh = h / 6.0;
      boxes.add(BoundingBox.ofCentre(bh + r.nextDouble() * (w - 2 * bh), bh + r.nextDouble() * (h - 2 * bh), bh * 0.6, bh));
    }
  }

  /** The background learnt from one frame and every person's look. */
  @Benchmark
  public float[] frameLooks() {
    background.update(frame, boxes);
    float[] last = null;
    for (BoundingBox b : boxes) {
      last = Appearance.of(frame, b, background);
    }
    return last;
  }
}
