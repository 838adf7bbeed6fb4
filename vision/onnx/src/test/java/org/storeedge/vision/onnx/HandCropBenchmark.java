package org.storeedge.vision.onnx;

import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.storeedge.vision.Detection;
import org.storeedge.vision.Frame;
import org.storeedge.vision.geometry.Point2;
import org.storeedge.vision.geometry.Zone;

/**
 * Milliseconds per frame of a camera that sees hands with the shipped palm model: the person
 * detector on the whole 1280x720 frame plus the palm model on one crop per shelf face ({@code
 * faces} of them, 150x100 pixels each, side by side along one shelf at the height of the shopper's
 * hands; the shopper of darknet's person.jpg stands at the first three, so the hand model runs on
 * at most three crops and skips the rest). {@code palmOnly} is the palm model on one 192x192
 * input, for comparison with the person detector's own figure.
 *
 * <pre>
 *   scripts/bench.sh vision/onnx HandCropBenchmark -jvmArgs -Dstoreedge.models.dir=$PWD/vision/models
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class HandCropBenchmark {
  @Param({"0", "1", "4", "8"})
  int faces;

  private OnnxDetector people;
  private OnnxDetector palm;
  private ShelfFaceHands camera;
  private Frame frame;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    people = OnnxDetector.open(TestModels.ssd());
    palm = OnnxDetector.open(TestModels.palm());
    Frame photo = TestModels.frame(TestModels.darknetPhoto("person.jpg"));
    byte[] bgr = new byte[1280 * 720 * 3];
    for (int y = 0; y < photo.height(); y++) {
      System.arraycopy(photo.bgr(), y * photo.width() * 3, bgr, y * 1280 * 3, photo.width() * 3);
    }
    frame = new Frame("bench", 0, 0, 1280, 720, bgr);
    List<Zone> zones = new ArrayList<>();
    for (int i = 0; i < Math.max(1, faces); i++) {
      double x = 20 + i * 155;
      zones.add(new Zone("L" + i, List.of(new Point2(x, 200), new Point2(x + 150, 200), new Point2(x + 150, 300),
          new Point2(x, 300))));
    }
    camera = new ShelfFaceHands(people, palm, "hand", "person", zones);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    camera.close();
  }

  /** The camera's whole detection step; with {@code faces = 0} the person detector alone. */
  @Benchmark
  public List<Detection> cameraFrame() {
    return faces == 0 ? people.detect(frame) : camera.detect(frame);
  }

  @Benchmark
  public List<FloatTensor> palmOnly() {
    return palm.run();
  }
}
