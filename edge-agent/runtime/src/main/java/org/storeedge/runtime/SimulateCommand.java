package org.storeedge.runtime;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.storeedge.config.ConfigException;
import org.storeedge.config.StoreConfig;
import org.storeedge.runtime.sim.SimulationRun;
import org.storeedge.simulator.Scenario;
import org.storeedge.simulator.ScenarioLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code storeedge simulate}: a scenario on virtual time as fast as it goes, the real agent inside,
 * a JSON report at the end. Exits only once everything the run produced is acknowledged by the
 * broker, or exits 3 at the drain timeout saying how much is undelivered.
 */
@Command(name = "simulate", description = "Run a scenario on virtual time with the real agent and write a JSON report.")
final class SimulateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "store YAML file")
  Path config;

  @Option(names = "--scenario", required = true, paramLabel = "FILE",
      description = "scenario YAML file, or the name of a bundled scenario (single-shopper, generated-hour)")
  String scenario;

  @Option(names = "--seed", paramLabel = "N", converter = SeedConverter.class,
      description = "play the scenario with seed N instead of the seed in its file (a run that score --seeds "
          + "listed as NAME#N is replayed with --seed N)")
  Long seed;

  @Option(names = "--report", required = true, paramLabel = "FILE", description = "where to write the JSON report")
  Path report;

  @Option(names = "--broker", paramLabel = "URI", description = "MQTT broker (tcp://host:port); default: an embedded one")
  String broker;

  @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "120s", converter = Durations.class,
      description = "longest wall time to wait for the broker to acknowledge everything (default: ${DEFAULT-VALUE})")
  Duration drainTimeout;

  @Option(names = "--pace", defaultValue = "0", paramLabel = "X",
      description = "virtual seconds per wall second; 0 (default) runs as fast as possible, 1 is real time")
  double pace;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "directory for the run's database and embedded broker (default: a new temporary directory)")
  Path workDir;

  @picocli.CommandLine.Mixin
  VisionOptions visionOptions = new VisionOptions();

  @picocli.CommandLine.Mixin
  HandOptions handOptions = new HandOptions();

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (!visionOptions.valid(err) || !handOptions.valid(err)) {
      return Main.BAD_INPUT;
    }
    StoreConfig cfg;
    Scenario sc;
    try {
      cfg = StoreFile.load(config);
      sc = ScenarioLoader.loadFileOrBundled(scenario, cfg);
      if (seed != null) {
        sc = sc.withSeed(seed);
      }
    } catch (ConfigException e) {
      e.lines().forEach(err::println);
      return Main.BAD_INPUT;
    } catch (IOException e) {
      err.println("cannot read: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("storeedge-sim-");
    SimulationRun.Result r = new SimulationRun(new SimulationRun.Options(cfg, sc, dir, Optional.ofNullable(broker), pace,
        drainTimeout, json -> {}, new java.io.PrintStream(System.err, true)), visionOptions.cameraSetup(),
        handOptions.model()).run();
    Path parent = report.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(report, r.reportJson(), StandardCharsets.UTF_8);
    var s = r.score();
    out.printf("shoppers %d, receipts %d, precision %.4f, recall %.4f, F1 %.4f, exact %d/%d, review %d, silent wrong units %d%n",
        s.customers(), s.receipts(), s.precision(), s.recall(), s.f1(), s.exactReceipts(), s.customers(),
        s.reviewedReceipts(), s.silentWrongUnits());
    if (pace > 0 && !r.exitToCloudWallMillis().isEmpty()) {
      var l = new java.util.ArrayList<>(r.exitToCloudWallMillis());
      java.util.Collections.sort(l);
      out.printf("exit to receipt at an outside subscriber (wall time): p50 %d ms, p99 %d ms, max %d ms over %d receipts%n",
          SimulationRun.percentile(l, 0.5), SimulationRun.percentile(l, 0.99), l.get(l.size() - 1), l.size());
    }
    out.printf("report written to %s (%.1f s wall)%n", report, r.wall().toMillis() / 1000.0);
    if (r.undelivered() > 0) {
      err.printf("%d messages still undelivered after the drain timeout of %s%n", r.undelivered(), drainTimeout);
      return Main.UNDELIVERED;
    }
    return Main.OK;
  }

  /** A seed as a scenario file takes it: a whole number (may be negative). */
  static final class SeedConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
      }
    }
  }
}
