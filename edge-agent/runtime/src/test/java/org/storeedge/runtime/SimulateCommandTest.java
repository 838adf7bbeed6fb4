package org.storeedge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import picocli.CommandLine;

/**
 * `storeedge simulate` options for tracing one run: another seed than the scenario file's, and
 * the simulated camera that sees hands, with what it told the agent in the report. Full runs
 * (embedded broker, SQLite outbox) of the short hand-off case on virtual time.
 */
class SimulateCommandTest {
  private static final String CONFIG = Path.of("../../config/examples/demo-store.yaml").toString();
  private static final String SCENARIO = "suite/hand-off"; // seed 103 in its file
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private final Cli cli = new Cli();

  private JsonNode simulate(String name, String... extra) throws Exception {
    Path report = dir.resolve(name + ".json");
    List<String> args = new java.util.ArrayList<>(List.of("simulate", "--config", CONFIG, "--scenario", SCENARIO,
        "--report", report.toString(), "--work-dir", dir.resolve(name + "-work").toString()));
    args.addAll(List.of(extra));
    Cli run = new Cli();
    int code = run.run(args.toArray(String[]::new));
    assertThat(code).as(run.err.toString()).isZero();
    return JSON.readTree(report.toFile());
  }

  @Test
  void aSeedFromTheCommandLineReplaysTheRunScoreReportedUnderThatSeedHandsIncluded() throws Exception {
    Path reports = dir.resolve("reports");
    assertThat(cli.run("score", "--config", CONFIG, "--scenario", SCENARIO, "--seeds", "2", "--hands", "--reports",
        reports.toString())).as(cli.err.toString()).isZero();
    JsonNode fileSeed = JSON.readTree(reports.resolve("hand-off#103.json").toFile());
    JsonNode scored = JSON.readTree(reports.resolve("hand-off#104.json").toFile());

    JsonNode replay = simulate("replay", "--seed", "104", "--hands");

    assertThat(fileSeed.path("seed").asLong()).isEqualTo(103);
    assertThat(replay.path("seed").asLong()).isEqualTo(104);
    assertThat(scored.path("seed").asLong()).isEqualTo(104);
    // another seed, another run: the true unit weights and movements differ from the file's seed
    assertThat(replay.path("groundTruthActions")).isNotEqualTo(fileSeed.path("groundTruthActions"));
    // the same run as score's #104: the same truth, and the agent got the same hand observations
    assertThat(replay.path("groundTruthActions")).isEqualTo(scored.path("groundTruthActions"));
    assertThat(replay.path("groundTruthHandOffs")).isEqualTo(scored.path("groundTruthHandOffs"));
    assertThat(replay.path("groundTruth")).isEqualTo(scored.path("groundTruth"));
    assertThat(replay.path("handObservations").size()).isPositive();
    assertThat(replay.path("handObservations")).isEqualTo(scored.path("handObservations"));
    assertThat(replay.path("handContacts").size()).isPositive();
    assertThat(replay.path("handContacts")).isEqualTo(scored.path("handContacts"));
    assertThat(replay.path("stats").path("shelfEventsWithHands"))
        .isEqualTo(scored.path("stats").path("shelfEventsWithHands"));
  }

  @Test
  void withHandsTheReportListsEveryHandObservationAndContactTheAgentReceived() throws Exception {
    JsonNode r = simulate("hands", "--hands", "--hand-hit-rate", "1", "--hand-swap-rate", "0.5");
    assertThat(r.path("seed").asLong()).as("without --seed, the file's").isEqualTo(103);
    StoreConfig store = StoreConfigLoader.loadBundledDemo(DeviceSettingsValidator.ACCEPT_ALL, dir);
    JsonNode stats = r.path("stats");
    JsonNode hands = r.path("handObservations");
    JsonNode contacts = r.path("handContacts");
    assertThat(hands.size()).isEqualTo(stats.path("handObservations").asInt()).isPositive();
    assertThat(contacts.size()).isEqualTo(stats.path("handContacts").asInt()).isPositive();
    assertThat(stats.path("shelfEventsWithHands").asInt()).isPositive();
    // the bundled store states no belief in its hand contacts: they flag, nothing moves
    assertThat(stats.path("unitsHandedOver").isNumber()).isTrue();
    assertThat(stats.path("unitsHandedOver").asInt()).isZero();

    Set<String> tokens = new HashSet<>();
    r.path("groundTruth").forEach(c -> tokens.add(c.path("customerToken").asText()));
    Instant last = Instant.MIN;
    for (JsonNode h : hands) {
      assertThat(h.path("trackId").asText()).as("%s", h).isNotEmpty();
      assertThat(tokens).as("%s", h).contains(h.path("customerToken").asText());
      assertThat(store.lane(h.path("laneId").asText())).as("%s", h).isPresent();
      Instant from = Instant.parse(h.path("from").asText());
      Instant to = Instant.parse(h.path("to").asText());
      Instant received = Instant.parse(h.path("receivedAt").asText());
      assertThat(from).isBeforeOrEqualTo(to);
      assertThat(to).isBefore(received);
      assertThat(received).as("in the order the agent got them").isAfterOrEqualTo(last);
      last = received;
      assertThat(h.path("confidence").asDouble()).isBetween(0.0, 1.0).isPositive();
    }
    for (JsonNode c : contacts) {
      assertThat(tokens).as("%s", c).contains(c.path("customerToken").asText(), c.path("otherCustomerToken").asText());
      assertThat(c.path("trackId").asText()).isNotEqualTo(c.path("otherTrackId").asText());
      assertThat(Instant.parse(c.path("at").asText())).isBefore(Instant.parse(c.path("receivedAt").asText()));
      assertThat(c.path("confidence").asDouble()).isBetween(0.0, 1.0).isPositive();
    }
  }

  @Test
  void theIdealHandSensorReportsEveryTrueHandOnItsOwnShopperInItsLaneAndNothingElse() throws Exception {
    JsonNode r = simulate("ideal", "--hands", "--hand-sensor", "ideal");
    JsonNode actions = r.path("groundTruthActions");
    JsonNode hands = r.path("handObservations");
    assertThat(actions.size()).isPositive();
    assertThat(hands.size()).isEqualTo(actions.size());
    Set<String> truth = new HashSet<>();
    actions.forEach(a -> truth.add(a.path("customerToken").asText() + "@" + a.path("laneId").asText()));
    for (JsonNode h : hands) {
      assertThat(truth).as("%s", h).contains(h.path("customerToken").asText() + "@" + h.path("laneId").asText());
      assertThat(h.path("confidence").asDouble()).as("a pose model's own score, not shared").isBetween(0.6, 1.0);
    }
    assertThat(r.path("handContacts").size()).isEqualTo(r.path("groundTruthHandOffs").size()).isPositive();
  }

  @Test
  void handModelParametersReachTheSensorByName() throws Exception {
    JsonNode r = simulate("model", "--hands", "--hand-model", "hit=0,spurious-per-minute=0,contact-hit=1",
        "--hand-model", "false-contacts-per-minute=0");
    assertThat(r.path("groundTruthActions").size()).isPositive();
    assertThat(r.path("handObservations").size()).as("no hand seen, none invented").isZero();
    assertThat(r.path("handContacts").size()).as("every hand-off seen, no contact invented")
        .isEqualTo(r.path("groundTruthHandOffs").size()).isPositive();
  }

  @Test
  void anUnknownOrOutOfRangeHandModelParameterIsBadInputBeforeAnyRun() {
    for (String[] bad : List.of(new String[] {"hits=1", "unknown hand sensor parameter 'hits'"},
        new String[] {"lane-error=2", "probabilities must be in [0, 1]"},
        new String[] {"jitter-seconds=-1", "rates and times must be >= 0"},
        new String[] {"swap=abc", "swap must be a number, got 'abc'"},
        new String[] {"jitter-seconds", "--hand-model"})) {
      Cli run = new Cli();
      Path report = dir.resolve("never.json");
      int code = run.run("simulate", "--config", CONFIG, "--scenario", SCENARIO, "--report", report.toString(),
          "--hands", "--hand-model", bad[0]);
      assertThat(code).as(bad[0]).isEqualTo(Main.BAD_INPUT);
      assertThat(run.err.toString()).as(bad[0]).contains(bad[1]);
      assertThat(report).doesNotExist();
    }
  }

  @Test
  void anUnknownHandSensorOrAssociationIsBadInputBeforeAnyRun() {
    for (String[] bad : List.of(new String[] {"--hand-sensor", "perfect"}, new String[] {"--hand-association", "arms"})) {
      Cli run = new Cli();
      Path report = dir.resolve("never.json");
      int code = run.run("simulate", "--config", CONFIG, "--scenario", SCENARIO, "--report", report.toString(),
          "--hands", bad[0], bad[1]);
      assertThat(code).as(bad[0]).isEqualTo(Main.BAD_INPUT);
      assertThat(run.err.toString()).as(bad[0]).contains(bad[0], bad[1]);
      assertThat(report).doesNotExist();
    }
  }

  @Test
  void aSeedThatIsNoWholeNumberIsBadInputBeforeAnyRun() {
    for (String bad : List.of("abc", "1.5", "99999999999999999999", "")) {
      Cli run = new Cli();
      Path report = dir.resolve("never.json");
      int code = run.run("simulate", "--config", CONFIG, "--scenario", SCENARIO, "--report", report.toString(),
          "--seed", bad);
      assertThat(code).as(bad).isEqualTo(Main.BAD_INPUT);
      assertThat(run.err.toString()).as(bad).contains("Invalid value for option '--seed': '" + bad
          + "' is not a whole number");
      assertThat(report).doesNotExist();
    }
  }

  @Test
  void handRatesOutsideZeroToOneAreBadInputBeforeAnyRun() {
    for (String option : List.of("--hand-hit-rate", "--hand-swap-rate")) {
      Cli run = new Cli();
      Path report = dir.resolve("never.json");
      int code = run.run("simulate", "--config", CONFIG, "--scenario", SCENARIO, "--report", report.toString(),
          "--hands", option, "1.5");
      assertThat(code).as(option).isEqualTo(Main.BAD_INPUT);
      assertThat(run.err.toString()).contains("--hand-hit-rate and --hand-swap-rate must be in [0, 1]");
      assertThat(report).doesNotExist();
    }
  }

  @Test
  void helpListsTheSeedAndTheHandOptions() {
    assertThat(cli.run("simulate", "--help")).isZero();
    assertThat(cli.out.toString()).contains("--seed=N", "--hands", "--hand-hit-rate=P", "--hand-swap-rate=P",
        "--hand-sensor=typical|ideal", "--hand-association=boxes|pose", "--hand-model=NAME=VALUE");
  }

  @Test
  void anyWholeNumberIsASeedNegativeOnesToo() {
    for (String n : List.of("-7", "0", "104", String.valueOf(Long.MAX_VALUE))) {
      SimulateCommand cmd = new SimulateCommand();
      new CommandLine(cmd).parseArgs("--config", CONFIG, "--scenario", SCENARIO, "--report", "r.json", "--seed", n);
      assertThat(cmd.seed).isEqualTo(Long.parseLong(n));
    }
  }
}
