package org.storeedge.vision.onnx;

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

/**
 * Milliseconds per frame of the shipped SSD model: raw {@code session.run} on a prepared input
 * versus the full {@link OnnxDetector#detect(Frame)} (frame copy, resize, normalisation, run,
 * decode, NMS, mapping back) on the same photos (darknet's person.jpg 640x424 and dog.jpg
 * 768x576, alternating). The difference is the pre- and post-processing overhead.
 *
 * <pre>
 *   cd vision/onnx
 *   mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
 *   java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
 *     -Dstoreedge.models.dir=../models org.openjdk.jmh.Main DetectBenchmark
 * </pre>
 * (or {@code scripts/bench.sh vision/onnx DetectBenchmark -jvmArgs -Dstoreedge.models.dir=$PWD/vision/models}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class DetectBenchmark {
  @Param({"1", "2"})
  int threads;

  private OnnxDetector detector;
  private Frame[] frames;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    detector = OnnxDetector.open(TestModels.ssd().withThreads(threads));
    frames = new Frame[] {TestModels.frame(TestModels.darknetPhoto("person.jpg")),
        TestModels.frame(TestModels.darknetPhoto("dog.jpg"))};
    detector.detect(frames[0]); // fills the input buffer for sessionRun
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    detector.close();
  }

  @Benchmark
  public List<FloatTensor> sessionRun() {
    return detector.run();
  }

  @Benchmark
  public List<Detection> detect() {
    Frame f = frames[next];
    next = (next + 1) % frames.length;
    return detector.detect(f);
  }
}
