package org.storeedge.runtime;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.storeedge.config.ConfigException;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.core.json.Json;
import org.storeedge.runtime.sim.ChargeCalibration;
import org.storeedge.runtime.sim.EventScorer;
import org.storeedge.runtime.sim.Scorer;
import org.storeedge.runtime.sim.SimulationRun;
import org.storeedge.simulator.NoiseModel;
import org.storeedge.simulator.Scenario;
import org.storeedge.simulator.ScenarioLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code storeedge score}: runs scenarios through the recognition (simulated devices, the real
 * pipeline and checkout, virtual time) and prints how right the receipts and shelf events were.
 */
@Command(name = "score", description = "Score receipts and shelf events of scenarios against the simulator's ground truth.")
final class ScoreCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "store YAML file (default: the bundled example store)")
  Path config;

  @Option(names = "--scenario", paramLabel = "FILE|DIR|NAME",
      description = "scenario file, directory of scenario files, or bundled name; repeatable (default: the bundled ones)")
  List<String> scenarios = new ArrayList<>();

  @Option(names = "--seeds", defaultValue = "1", description = "run each scenario with this many seeds (seed, seed+1, ...)")
  int seeds;

  @Option(names = "--touch-probability", paramLabel = "P",
      description = "override the scenarios' noise.touchProbability, 0..1: chance per take or put-back that the "
          + "shopper also touches another lane of the same shelf, moving nothing (recorded as TOUCH)")
  Double touchProbability;

  @Option(names = "--noise-sweep", description = "sweep hand transient and drift over a grid for each scenario")
  boolean noiseSweep;

  @Option(names = "--json", paramLabel = "FILE", description = "also write all results as JSON")
  Path json;

  @Option(names = "--reports", paramLabel = "DIR", description = "also write each run's receipts (with their "
      + "review reasons and evidence) and ground truth (final carts, every true shelf action and hand-off with where "
      + "the shoppers stood) to DIR/<scenario>#<seed>.json, as simulate --report does")
  Path reports;

  @picocli.CommandLine.Mixin
  HandOptions handOptions = new HandOptions();

  @picocli.CommandLine.Mixin
  VisionOptions visionOptions = new VisionOptions();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!visionOptions.valid(err)) {
      return Main.BAD_INPUT;
    }
    if (!handOptions.valid(err)) {
      return Main.BAD_INPUT;
    }
    if (touchProbability != null && !(touchProbability >= 0 && touchProbability <= 1)) {
      err.println("--touch-probability must be in [0, 1]");
      return Main.BAD_INPUT;
    }
    StoreConfig cfg;
    List<Scenario> list = new ArrayList<>();
    try {
      cfg = config == null ? StoreConfigLoader.loadBundledDemo(Drivers.registry(), Files.createTempDirectory("se-score"))
          : StoreFile.load(config);
      if (scenarios.isEmpty()) {
        for (String name : ScenarioLoader.BUNDLED) {
          list.add(ScenarioLoader.loadResource(name, cfg));
        }
      }
      for (String s : scenarios) {
        Path p = Path.of(s);
        if (Files.isDirectory(p)) {
          try (Stream<Path> files = Files.list(p)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
              list.add(ScenarioLoader.load(f, cfg));
            }
          }
        } else {
          list.add(ScenarioLoader.loadFileOrBundled(s, cfg));
        }
      }
    } catch (ConfigException e) {
      e.lines().forEach(err::println);
      return Main.BAD_INPUT;
    } catch (IOException e) {
      err.println("cannot read: " + e.getMessage());
      return Main.BAD_INPUT;
    }

    List<Map<String, Object>> rows = new ArrayList<>();
    out.printf("%-36s %5s %6s %7s %7s %7s %6s %6s %6s %6s %6s %7s %7s %7s %7s%n", "scenario", "shop", "units", "prec",
        "recall", "F1", "exact", "review", "silent", "evP", "evR", "skuP", "skuR", "lat50ms", "lat99ms");
    Totals all = new Totals();
    for (Scenario base : list) {
      for (int i = 0; i < seeds; i++) {
        Scenario sc = seeds > 1 ? base.withSeed(base.seed() + i) : base;
        if (touchProbability != null) {
          sc = sc.withNoise(sc.noise().withTouchProbability(touchProbability));
        }
        String name = name(base) + (seeds > 1 ? "#" + sc.seed() : "");
        if (noiseSweep) {
          for (double hand : new double[] {30, 60, 120, 240}) {
            for (double drift : new double[] {2, 20, 100}) {
              NoiseModel n = sc.noise();
              n = new NoiseModel(n.electricalGrams(), hand, drift, n.creepFraction(), n.creepTimeConstantSeconds(),
                  n.offCentreFraction(), n.vibrationGrams(), n.touchProbability());
              runOrReport(out, rows, name + " hand=" + (int) hand + " drift=" + (int) drift, sc.withNoise(n), cfg, all);
            }
          }
        } else {
          runOrReport(out, rows, name, sc, cfg, all);
        }
      }
    }
    all.latency.sort(null);
    out.printf("%-36s %5d %6d %7.4f %7.4f %7.4f %6.3f %6.3f %6d %6s %6s %7s %7s %7d %7d%n", "OVERALL", all.customers,
        all.truthUnits, all.precision(), all.recall(), all.f1(), all.exactRate(), all.reviewRate(), all.silent, "", "", "",
        "", pct(all.latency, 0.5), pct(all.latency, 0.99));
    out.println("lat: exit to receipt closed, store (virtual) milliseconds; silent: wrong units on receipts not flagged"
        + " for review");
    out.printf("wrong units no review reason points at (silent ones, and those on receipts flagged only about other"
        + " products): %d%n", all.unnamed);
    out.printf("exit to receipt over 2 s (store time): %d of %d receipts; amendments (later evidence, sent apart): %d, "
        + "and %d re-sent without the doubt of shelf activity unresolved at the exit once it resolved%n",
        all.latency.stream().filter(x -> x > 2000).count(), all.latency.size(), all.amendments, all.settled);
    if (!all.reasons.isEmpty()) {
      out.println("receipts flagged, by review reason (a receipt may have several): " + all.reasons);
      out.println("  of them right as they stood (needless reviews), by reason: " + all.reasonsOnExact);
    }
    out.println(all.calibration.summary());
    if (json != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("runs", rows);
      m.put("overall", Map.of("customers", all.customers, "precision", Json.round(all.precision(), 5), "recall",
          Json.round(all.recall(), 5), "f1", Json.round(all.f1(), 5), "exactRate", Json.round(all.exactRate(), 5),
          "reviewRate", Json.round(all.reviewRate(), 5), "silentWrongUnits", all.silent, "unnamedWrongUnits",
          all.unnamed, "calibration", all.calibration));
      Files.writeString(json, Json.write(m));
    }
    if (all.failed > 0) {
      out.printf("%d run(s) failed (see above); the figures are of the others%n", all.failed);
      return Main.FAILED;
    }
    return Main.OK;
  }

  /**
   * One run into the table, or, when it cannot be played (a generated draw the simulator itself
   * finds inconsistent), a line saying so: the other seeds and scenarios still run.
   */
  private void runOrReport(PrintWriter out, List<Map<String, Object>> rows, String name, Scenario sc, StoreConfig cfg,
      Totals all) {
    try {
      rows.add(runOne(out, name, sc, cfg, all));
    } catch (RuntimeException e) {
      all.failed++;
      out.printf("%-36s FAILED: %s%n", trim(name), e.getMessage());
      out.flush();
      rows.add(Map.of("scenario", name, "seed", sc.seed(), "failed", String.valueOf(e.getMessage())));
    }
  }

  private static String name(Scenario s) {
    String src = s.source() == null ? "scenario" : Path.of(s.source()).getFileName().toString();
    return src.replaceAll("\\.ya?ml$", "");
  }

  private Map<String, Object> runOne(PrintWriter out, String name, Scenario sc, StoreConfig cfg, Totals all) {
    SimulationRun.Result r = SimulationRun.recognitionOnly(cfg, sc, visionOptions.cameraSetup(), handOptions.model());
    Scorer.Score s = r.score();
    EventScorer.Score e = r.events();
    all.add(s);
    ChargeCalibration calibration = new ChargeCalibration();
    calibration.add(r.receipts(), r.truth());
    all.calibration.add(calibration);
    if (reports != null) {
      try {
        Files.createDirectories(reports);
        // always named with its seed, to be replayed with simulate --seed
        String file = name.contains("#") ? name : name + "#" + sc.seed();
        Files.writeString(reports.resolve(file.replaceAll("[^A-Za-z0-9#._-]", "_") + ".json"), r.reportJson());
      } catch (IOException ex) {
        throw new java.io.UncheckedIOException("cannot write the run's report to " + reports, ex);
      }
    }
    List<Long> lat = new ArrayList<>(r.exitToReceiptMillis());
    lat.sort(null);
    all.latency.addAll(lat);
    // an amendment for what later evidence changed or doubted says so (reason "amended"); one that
    // only takes back the doubt of shelf activity unresolved at the exit does not
    all.amendments += r.receipts().stream().filter(x -> x.amends() != null && isAmended(x)).count();
    all.settled += r.receipts().stream().filter(x -> x.amends() != null && !isAmended(x)).count();
    out.printf("%-36s %5d %6d %7.4f %7.4f %7.4f %6.3f %6.3f %6d %6.3f %6.3f %7.4f %7.4f %7d %7d%n", trim(name),
        s.customers(), s.truthUnits(), s.precision(), s.recall(), s.f1(), s.exactRate(), s.reviewRate(),
        s.silentWrongUnits(), e.precision(), e.recall(), e.skuCountPrecision(), e.skuCountRecall(), pct(lat, 0.5),
        pct(lat, 0.99));
    out.flush();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scenario", name);
    m.put("seed", sc.seed());
    m.put("noise", sc.noise().toString());
    m.put("score", s);
    m.put("events", e);
    m.put("calibration", calibration);
    m.put("stats", r.stats());
    m.put("exitToReceiptMillis", Map.of("p50", pct(lat, 0.5), "p95", pct(lat, 0.95), "p99", pct(lat, 0.99), "max",
        lat.isEmpty() ? 0 : lat.get(lat.size() - 1), "over2s", lat.stream().filter(x -> x > 2000).count()));
    return m;
  }

  private static long pct(List<Long> sorted, double q) {
    return SimulationRun.percentile(sorted, q);
  }

  /** An amendment for what later evidence changed or doubted (not one that only takes a doubt back). */
  private static boolean isAmended(org.storeedge.checkout.cart.Receipt r) {
    return r.reviewReasons().stream().anyMatch(x -> x.code().equals("amended"));
  }

  /** A row name in 36 columns: a long scenario name is shortened in the middle, its #seed kept. */
  static String trim(String s) {
    if (s.length() <= 36) {
      return s;
    }
    int hash = s.lastIndexOf('#');
    String tail = hash > 0 && s.length() - hash <= 12 ? s.substring(hash) : "";
    return s.substring(0, 35 - tail.length()) + "~" + tail;
  }

  private static final class Totals {
    int customers;
    long truthUnits;
    long charged;
    long correct;
    long exact;
    long reviewed;
    long receipts;
    long silent;
    long unnamed;
    int failed;
    final List<Long> latency = new ArrayList<>();
    long amendments;
    long settled;
    final Map<String, Integer> reasons = new java.util.TreeMap<>();
    final Map<String, Integer> reasonsOnExact = new java.util.TreeMap<>();
    final ChargeCalibration calibration = new ChargeCalibration();

    void add(Scorer.Score s) {
      customers += s.customers();
      truthUnits += s.truthUnits();
      charged += s.chargedUnits();
      correct += s.correctUnits();
      exact += s.exactReceipts();
      reviewed += s.reviewedReceipts();
      receipts += s.receipts();
      silent += s.silentWrongUnits();
      unnamed += s.unnamedWrongUnits();
      s.reviewReasons().forEach((k, v) -> reasons.merge(k, v, Integer::sum));
      s.reviewReasonsOnExact().forEach((k, v) -> reasonsOnExact.merge(k, v, Integer::sum));
    }

    double precision() {
      return charged == 0 ? 1 : (double) correct / charged;
    }

    double recall() {
      return truthUnits == 0 ? 1 : (double) correct / truthUnits;
    }

    double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    double exactRate() {
      return customers == 0 ? 1 : (double) exact / customers;
    }

    double reviewRate() {
      return receipts == 0 ? 0 : (double) reviewed / receipts;
    }
  }
}
