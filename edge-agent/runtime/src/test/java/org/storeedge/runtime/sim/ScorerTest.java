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
