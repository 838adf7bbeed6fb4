package org.storeedge.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.storeedge.checkout.cart.Receipt;
import org.storeedge.checkout.cart.ReceiptLine;
import org.storeedge.checkout.cart.ReviewReason;

class ScorerTest {
  private static Receipt receipt(String token, Map<String, Integer> items, String... reasons) {
    List<ReceiptLine> lines = items.entrySet().stream()
        .map(e -> new ReceiptLine(e.getKey(), e.getKey(), e.getValue(), 100, 100L * e.getValue(), 0.9)).toList();
    List<ReviewReason> rs = java.util.Arrays.stream(reasons).map(c -> new ReviewReason(c, c, Map.of())).toList();
    return new Receipt("r-" + token, "s", "g", token, Instant.EPOCH, Instant.EPOCH, lines, 0, "EUR", !rs.isEmpty(), rs,
        null);
  }

  private static Receipt flaggedAbout(String token, Map<String, Integer> items, String code, Map<String, Object> evidence) {
    List<ReceiptLine> lines = items.entrySet().stream()
        .map(e -> new ReceiptLine(e.getKey(), e.getKey(), e.getValue(), 100, 100L * e.getValue(), 0.9)).toList();
    return new Receipt("r-" + token, "s", "g", token, Instant.EPOCH, Instant.EPOCH, lines, 0, "EUR", true,
        List.of(new ReviewReason(code, code, evidence)), null);
  }

  @Test
  void percentilesAreByNearestRankSoAP99OfFewerThanAHundredIsTheLargest() {
    List<Long> seventy = java.util.stream.LongStream.rangeClosed(1, 70).boxed().toList();
    assertThat(SimulationRun.percentile(seventy, 0.99)).isEqualTo(70);
    assertThat(SimulationRun.percentile(seventy, 0.5)).isEqualTo(35);
    List<Long> thousand = java.util.stream.LongStream.rangeClosed(1, 1000).boxed().toList();
    assertThat(SimulationRun.percentile(thousand, 0.99)).isEqualTo(990);
    assertThat(SimulationRun.percentile(List.of(), 0.99)).isZero();
  }

  @Test
  void aWrongLineOnAReceiptFlaggedOnlyAboutAnotherProductIsCountedAsUnnamed() {
    Map<String, Map<String, Integer>> truth = Map.of("a", Map.of("COLA", 1, "CHOC", 1), "b", Map.of("CHOC", 2),
        "c", Map.of("COLA", 1), "d", Map.of("CHOC", 1));
    Map<String, Object> aboutChoc = Map.of("laneId", "l2", "candidates", List.of(
        Map.of("sku", "CHOC", "count", 1, "likelihood", 0.7), Map.of("sku", "COLA", "count", 1, "likelihood", 0.01)));
    List<Receipt> receipts = List.of(
        // a: charged a second COLA, flagged only about the chocolate (COLA shown at 1 %): 1 unnamed unit
        flaggedAbout("a", Map.of("COLA", 2, "CHOC", 1), "ambiguous-shopper", aboutChoc),
        // b: the wrong line (one chocolate short) is the one the reason is about: named
        flaggedAbout("b", Map.of("CHOC", 1), "ambiguous-shopper", aboutChoc),
        // c: a doubt about the whole receipt names every line
        flaggedAbout("c", Map.of("CHOC", 1), "possible-hand-off", Map.of("customerTokens", List.of("c", "d"))),
        // d: not flagged at all: silent, and unnamed too
        receipt("d", Map.of("COLA", 1)));
    Scorer.Score s = Scorer.score(truth, receipts);
    assertThat(s.silentWrongUnits()).isEqualTo(2); // d: a cola too many, a chocolate missing
    assertThat(s.unnamedWrongUnits()).isEqualTo(1 + 2);
    assertThat(org.storeedge.core.json.Json.write(s)).contains("\"unnamedWrongUnits\":3");
  }

  @Test
  void countsSilentWrongUnitsAndReviewsOfReceiptsThatWereRight() {
    Map<String, Map<String, Integer>> truth = Map.of(
        "a", Map.of("COLA", 1),
        "b", Map.of("COLA", 2),
        "c", Map.of("CHOC", 1),
        "d", Map.of("CHOC", 1));
    List<Receipt> receipts = List.of(
        receipt("a", Map.of("COLA", 1), "ambiguous-shopper", "possible-hand-off"), // right, reviewed for nothing
        receipt("b", Map.of("COLA", 1), "ambiguous-shopper"), // wrong, flagged
        receipt("c", Map.of("CHOC", 1, "COLA", 1)), // wrong, NOT flagged: one silent unit
        receipt("d", Map.of("CHOC", 1))); // right
    Scorer.Score s = Scorer.score(truth, receipts);
    assertThat(s.truthUnits()).isEqualTo(5);
    assertThat(s.chargedUnits()).isEqualTo(5);
    assertThat(s.correctUnits()).isEqualTo(4);
    assertThat(s.exactReceipts()).isEqualTo(2);
    assertThat(s.reviewedReceipts()).isEqualTo(2);
    assertThat(s.silentWrongUnits()).isEqualTo(1);
    assertThat(s.reviewReasons()).containsEntry("ambiguous-shopper", 2).containsEntry("possible-hand-off", 1);
    assertThat(s.needlessReviews()).isEqualTo(1);
    assertThat(s.reviewReasonsOnExact()).containsEntry("ambiguous-shopper", 1).containsEntry("possible-hand-off", 1)
        .containsEntry(Scorer.ANY, 1);
    assertThat(s.mismatches()).hasSize(2).anyMatch(m -> m.startsWith("c:") && m.endsWith("(NOT flagged)"));
  }
}
