package org.storeedge.runtime;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code storeedge calibrate --config FILE --lane ID tare|span [--known-grams G]}: calibrates one
 * lane of the running agent. Calibration measures the lane's live readings, so it goes to the
 * agent that reads them: the command is published as {@code cmd/calibrate} to the store file's
 * broker (its TLS and credentials) and the agent's reply is printed. The agent stores the result
 * in its state database, where it survives restarts. Exit codes: 0 calibrated, 1 refused by the
 * agent or no reply in time (agent not running or not connected), 2 bad input.
 */
@Command(name = "calibrate", description = "Tare or span-calibrate one lane of the running agent (through its broker).")
final class CalibrateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "the agent's store YAML file")
  Path config;

  @Option(names = "--lane", required = true, paramLabel = "ID", description = "lane id from the store file")
  String lane;

  @Parameters(index = "0", paramLabel = "STEP", description = "tare (lane empty, or carrying --known-grams) or span "
      + "(lane carrying --known-grams)")
  String step;

  @Option(names = "--known-grams", paramLabel = "G",
      description = "weight on the lane now, grams (span: required; tare: default 0 = empty)")
  Double knownGrams;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = Durations.class,
      description = "how long to wait for the agent's reply (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (!step.equals("tare") && !step.equals("span")) {
      err.println("storeedge calibrate: STEP must be tare or span (got: " + step + ")");
      return Main.BAD_INPUT;
    }
    if (step.equals("span") && (knownGrams == null || knownGrams <= 0)) {
      err.println("storeedge calibrate: span needs --known-grams G > 0 (the weight now on the lane)");
      return Main.BAD_INPUT;
    }
    AgentCommandLine.Agent agent = AgentCommandLine.load(config, "calibrate", err);
    if (agent == null) {
      return Main.BAD_INPUT;
    }
    if (agent.config().lane(lane).isEmpty()) {
      err.println(config + ": no lane '" + lane + "' (lanes: "
          + agent.config().lanes().stream().map(StoreConfig.Lane::id).toList() + ")");
      return Main.BAD_INPUT;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("laneId", lane);
    m.put("step", step);
    m.put("knownGrams", knownGrams == null ? 0.0 : knownGrams);
    return AgentCommandLine.send(agent, "calibrate", Json.write(m).getBytes(StandardCharsets.UTF_8), timeout,
        "nothing was changed", out, err);
  }
}
