package org.storeedge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;

/** `storeedge score` on a scripted hard case: the table, and each run's receipts and truth on request. */
class ScoreCommandTest {
  @TempDir
  Path dir;

  private final Cli cli = new Cli();

  @Test
  void eachRunsReceiptsWithTheirEvidenceAndTheTruthCanBeWrittenOutEvenWithSimulatedHands() throws Exception {
    Path reports = dir.resolve("reports");
    int code = cli.run("score", "--scenario", Path.of("../../simulator/scenarios/suite/hand-off.yaml").toString(),
        "--seeds", "2", "--hands", "--reports", reports.toString());
    assertThat(code).as(cli.err.toString()).isZero();
    assertThat(cli.out.toString()).contains("hand-off#103", "hand-off#104", "OVERALL", "no review reason points at");
    JsonNode r = new ObjectMapper().readTree(reports.resolve("hand-off#104.json").toFile());
    assertThat(r.path("receipts").size()).isEqualTo(2);
    assertThat(r.path("receipts").get(0).has("reviewReasons")).isTrue();
    assertThat(r.path("groundTruth").size()).isEqualTo(2);
    assertThat(r.path("stats").has("handObservations")).isTrue();
    // what the simulated camera told the agent, as many as the stats count
    assertThat(r.path("handObservations").size()).isEqualTo(r.path("stats").path("handObservations").asInt())
        .isPositive();
    assertThat(r.path("handContacts").size()).isEqualTo(r.path("stats").path("handContacts").asInt());
    JsonNode h = r.path("handObservations").get(0);
    for (String field : List.of("trackId", "customerToken", "laneId", "from", "to", "confidence", "receivedAt")) {
      assertThat(h.has(field)).as(field).isTrue();
    }
    assertThat(Instant.parse(h.path("from").asText())).isBeforeOrEqualTo(Instant.parse(h.path("to").asText()));
    // every line names the shelf movements it was charged on, and the run says how often the stated
    // probability of who took was right
    JsonNode line = r.path("receipts").get(0).path("items").get(0);
    assertThat(line.path("evidence").size()).isPositive();
    assertThat(line.path("evidence").get(0).path("basis").asText()).isEqualTo("pick");
    assertThat(cli.out.toString()).contains("charged shopper is the taker, by stated probability");
  }

  @Test
  void eachReportHoldsTheTrueShelfActionsAndHandOffsWithWhereTheShoppersStood() throws Exception {
    Path reports = dir.resolve("reports");
    int code = cli.run("score", "--scenario", Path.of("../../simulator/scenarios/suite/hand-off.yaml").toString(),
        "--touch-probability", "1", "--reports", reports.toString());
    assertThat(code).as(cli.err.toString()).isZero();
    JsonNode r = new ObjectMapper().readTree(reports.resolve("hand-off#103.json").toFile());
    assertThat(r.has("handObservations")).as("no hands simulated, none listed").isFalse();
    assertThat(r.has("handContacts")).isFalse();
    StoreConfig store = StoreConfigLoader.loadBundledDemo(DeviceSettingsValidator.ACCEPT_ALL, dir);

    JsonNode actions = r.path("groundTruthActions");
    List<String> takes = new ArrayList<>();
    int touches = 0;
    for (JsonNode a : actions) {
      String kind = a.path("kind").asText();
      int qty = a.path("signedQty").asInt();
      Instant on = Instant.parse(a.path("handOn").asText());
      Instant move = Instant.parse(a.path("itemMove").asText());
      Instant off = Instant.parse(a.path("handOff").asText());
      assertThat(on).isBeforeOrEqualTo(move);
      assertThat(move).isBefore(off);
      assertThat(a.path("unitGrams").size()).isEqualTo(Math.abs(qty));
      assertThat(a.path("trackId").asText()).isNotEmpty();
      // the shopper stood within reach of the lane it stood at, on the floor of the store file
      StoreConfig.Position lane = store.lane(a.path("standingLaneId").asText()).orElseThrow().position();
      double x = a.path("stoodAt").path("x").asDouble(Double.NaN);
      double y = a.path("stoodAt").path("y").asDouble(Double.NaN);
      assertThat(Math.hypot(x - lane.x(), y - lane.y())).as("%s", a).isLessThan(1.5);
      if (kind.equals("TOUCH")) {
        touches++;
        assertThat(qty).isZero();
      } else {
        assertThat(kind).isEqualTo("TAKE");
        assertThat(qty).isEqualTo(-1);
        takes.add(a.path("customerToken").asText() + " " + a.path("laneId").asText() + " " + a.path("sku").asText());
      }
    }
    assertThat(takes).containsExactly("cust-giver a1 COLA-330", "cust-giver a3 WATR-500", "cust-receiver c1 NOODL-75");
    assertThat(touches).as("one touch per take at touch probability 1").isEqualTo(3);

    JsonNode handOff = r.path("groundTruthHandOffs");
    assertThat(handOff.size()).isEqualTo(1);
    JsonNode h = handOff.get(0);
    assertThat(h.path("fromToken").asText()).isEqualTo("cust-giver");
    assertThat(h.path("toToken").asText()).isEqualTo("cust-receiver");
    assertThat(h.path("sku").asText()).isEqualTo("COLA-330");
    assertThat(h.path("qty").asInt()).isEqualTo(1);
    assertThat(Instant.parse(h.path("at").asText())).isEqualTo(Instant.parse("2026-11-25T09:00:40Z"));
    double apart = Math.hypot(h.path("fromStoodAt").path("x").asDouble() - h.path("toStoodAt").path("x").asDouble(),
        h.path("fromStoodAt").path("y").asDouble() - h.path("toStoodAt").path("y").asDouble());
    assertThat(apart).as("the two meet to hand over").isLessThan(1.2);

    // the actions and hand-offs account for the true carts
    Map<String, Map<String, Integer>> carts = new TreeMap<>();
    for (JsonNode a : actions) {
      carts.computeIfAbsent(a.path("customerToken").asText(), k -> new TreeMap<>())
          .merge(a.path("sku").asText(), -a.path("signedQty").asInt(), Integer::sum);
    }
    carts.get(h.path("fromToken").asText()).merge(h.path("sku").asText(), -h.path("qty").asInt(), Integer::sum);
    carts.get(h.path("toToken").asText()).merge(h.path("sku").asText(), h.path("qty").asInt(), Integer::sum);
    carts.values().forEach(c -> c.values().removeIf(q -> q == 0));
    Map<String, Map<String, Integer>> truth = new TreeMap<>();
    for (JsonNode c : r.path("groundTruth")) {
      Map<String, Integer> items = new TreeMap<>();
      c.path("items").fields().forEachRemaining(e -> items.put(e.getKey(), e.getValue().asInt()));
      truth.put(c.path("customerToken").asText(), items);
    }
    assertThat(carts).isEqualTo(truth).isEqualTo(Map.of("cust-giver", Map.of("WATR-500", 1),
        "cust-receiver", Map.of("COLA-330", 1, "NOODL-75", 1)));
  }

  @Test
  void aTouchProbabilityOutsideZeroToOneIsBadInputBeforeAnyRun() {
    int code = cli.run("score", "--scenario", "single-shopper", "--touch-probability", "1.5");
    assertThat(code).isEqualTo(Main.BAD_INPUT);
    assertThat(cli.err.toString()).contains("--touch-probability must be in [0, 1]");
    assertThat(cli.out.toString()).doesNotContain("OVERALL");
  }

  @Test
  void aLongScenarioNameKeepsItsSeedInTheTable() {
    String row = ScoreCommand.trim("s01-exchange-powerbank-for-speaker-lane#601");
    assertThat(row).hasSize(36).endsWith("~#601").startsWith("s01-exchange-powerbank");
    assertThat(ScoreCommand.trim("re-entry#502")).isEqualTo("re-entry#502");
  }
}
