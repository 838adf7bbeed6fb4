package org.storeedge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  }

  @Test
  void aTouchProbabilityOutsideZeroToOneIsBadInputBeforeAnyRun() {
    int code = cli.run("score", "--scenario", "single-shopper", "--touch-probability", "1.5");
    assertThat(code).isEqualTo(Main.BAD_INPUT);
    assertThat(cli.err.toString()).contains("--touch-probability must be in [0, 1]");
    assertThat(cli.out.toString()).doesNotContain("OVERALL");
  }
}
