package org.storeedge.checkout.bench;

import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.storeedge.checkout.weight.DetectorSettings;
import org.storeedge.checkout.weight.LaneInventory;
import org.storeedge.checkout.weight.WeightPipeline;
import org.storeedge.config.Location;
import org.storeedge.config.Settings;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.ReadingStatus;
import org.storeedge.core.device.WeightReading;

/**
 * Samples per second through the weight pipeline (detection, grouping, candidate scoring) on one
 * thread: 1,000 lanes at 80 Hz, sub-gram noise, a pick on some lane every few seconds.
 *
 * <p>Run: see docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WeightPipelineBenchmark {
  private static final int SECONDS = 20;
  private static final int RATE = 80;

  @Param({"1000"})
  int lanes;

  private WeightReading[] readings;
  private StoreConfig store;
  private long events;

  @Setup(Level.Trial)
  public void setUp() {
    Location loc = new Location("bench", 1, 1);
    List<StoreConfig.Product> catalog = new ArrayList<>();
    List<StoreConfig.Shelf> shelves = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      catalog.add(new StoreConfig.Product("P" + i, "Product " + i, 40 + 37 * i, 1 + i * 0.3, 100 + i, "EUR"));
    }
    for (int s = 0; s < lanes / 10; s++) {
      List<StoreConfig.Lane> ls = new ArrayList<>();
      for (int l = 0; l < 10; l++) {
        ls.add(new StoreConfig.Lane("s" + s + "l" + l, "P" + ((s + l) % 20), 20, 20, String.valueOf(l),
            new StoreConfig.Position(s, l * 0.5)));
      }
      shelves.add(new StoreConfig.Shelf("s" + s, "d", ls));
    }
    store = new StoreConfig("bench", new StoreConfig.StoreInfo("b", "g", "EUR", "UTC"), catalog, shelves,
        List.of(new StoreConfig.Device("d", "x", Settings.empty("d", loc), loc)), List.of(), 
        new StoreConfig.Sync(List.of(), "c", "storeedge/v1", StoreConfig.Tls.none(), StoreConfig.Credentials.none(), 30, 0),
        new StoreConfig.Storage(Path.of("x"), 1 << 30));
    Random rnd = new Random(1);
    List<StoreConfig.Lane> all = store.lanes();
    double[] level = new double[all.size()];
    for (int i = 0; i < level.length; i++) {
      level[i] = 2000 + rnd.nextDouble() * 3000;
    }
    readings = new WeightReading[SECONDS * RATE * all.size()];
    int k = 0;
    long t0 = 1_700_000_000_000L;
    for (int step = 0; step < SECONDS * RATE; step++) {
      long t = t0 + step * 1000L / RATE;
      if (step % (RATE * 3) == RATE) {
        int lane = rnd.nextInt(all.size());
        level[lane] -= store.productsBySku().get(all.get(lane).sku()).unitWeightGrams();
      }
      for (int i = 0; i < all.size(); i++) {
        readings[k++] = new WeightReading(all.get(i).id(), t, level[i] + rnd.nextGaussian() * 0.1, ReadingStatus.OK);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(SECONDS * RATE * 1000)
  public void samplesThroughDetection(Blackhole bh) {
    // timestamps restart each pass, so each pass gets a fresh pipeline (1,000 detectors: negligible)
    WeightPipeline pipeline = new WeightPipeline(store, DetectorSettings.defaults(), new LaneInventory(store), e -> events++, f -> {});
    for (WeightReading r : readings) {
      pipeline.accept(r);
    }
    bh.consume(events);
  }
}
