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

/**
 * `storeedge simulate` options for tracing one run: the simulated camera that sees hands, with
 * what it told the agent in the report. Full runs (embedded broker, SQLite outbox) of the short
 * hand-off case on virtual time.
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
  void theFullRunFeedsTheAgentTheHandObservationsScoreDoes() throws Exception {
    Path reports = dir.resolve("reports");
    assertThat(cli.run("score", "--config", CONFIG, "--scenario", SCENARIO, "--hands", "--reports",
        reports.toString())).as(cli.err.toString()).isZero();
    JsonNode scored = JSON.readTree(reports.resolve("hand-off.json").toFile());

    JsonNode full = simulate("full", "--hands");

    assertThat(full.path("groundTruthActions")).isEqualTo(scored.path("groundTruthActions"));
    assertThat(full.path("handObservations").size()).isPositive();
    assertThat(full.path("handObservations")).isEqualTo(scored.path("handObservations"));
    assertThat(full.path("handContacts")).isEqualTo(scored.path("handContacts"));
    assertThat(full.path("stats").path("shelfEventsWithHands"))
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
  void helpListsTheHandOptions() {
    assertThat(cli.run("simulate", "--help")).isZero();
    assertThat(cli.out.toString()).contains("--hands", "--hand-hit-rate=P", "--hand-swap-rate=P");
  }
}
