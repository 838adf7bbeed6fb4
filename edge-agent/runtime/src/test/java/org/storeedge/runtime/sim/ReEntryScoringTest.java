package org.storeedge.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.checkout.cart.Receipt;
import org.storeedge.checkout.cart.ReceiptLine;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.simulator.ScenarioLoader;

/** A shopper who leaves and comes back in with the same token gets a receipt per visit, each scored on its own. */
class ReEntryScoringTest {
  @Test
  void eachVisitIsItsOwnReceiptAndIsScoredAgainstItsOwnCart(@TempDir Path tmp) throws Exception {
    StoreConfig cfg = StoreConfigLoader.loadBundledDemo(DeviceSettingsValidator.ACCEPT_ALL, tmp);
    SimulationRun.Result r = SimulationRun.recognitionOnly(cfg, ScenarioLoader.loadResource("suite/re-entry", cfg), 0, null);

    List<Receipt> back = r.receipts().stream().filter(x -> x.customerToken().equals("cust-back") && x.amends() == null).toList();
    assertThat(back).hasSize(2);
    assertThat(back.get(0).receiptId()).isNotEqualTo(back.get(1).receiptId());
    assertThat(back).extracting(x -> x.items().stream().map(ReceiptLine::sku).toList())
        .containsExactlyInAnyOrder(List.of("COLA-330"), List.of("CANDY-52"));
    // three visits to score, each matched to its own receipt: nothing missing, every one exact
    assertThat(r.score().customers()).isEqualTo(3);
    assertThat(r.score().missingReceipts()).isZero();
    assertThat(r.score().exactReceipts()).as(r.score().mismatches().toString()).isEqualTo(3);
    assertThat(r.reportJson()).contains("\"visit\":2");
  }

  @Test
  void aReceiptIsMatchedToTheVisitItStatesItCameInFor() {
    Map<String, Map<String, Integer>> truth = Map.of("a", Map.of("X", 1), "a#2", Map.of("Y", 2));
    Receipt first = receipt("r1", "a", 0, "X", 1);
    Receipt second = receipt("r2", "a", 100, "Y", 2);
    Scorer.Score byVisit = Scorer.score(truth, List.of(first, second), x -> x.enteredAt().getEpochSecond() < 50 ? "a" : "a#2");
    assertThat(byVisit.exactReceipts()).isEqualTo(2);
    // keyed by token alone, the later receipt would stand for both visits
    Scorer.Score byToken = Scorer.score(truth, List.of(first, second));
    assertThat(byToken.exactReceipts()).isLessThan(2);
  }

  private static Receipt receipt(String id, String token, long enteredSecond, String sku, int qty) {
    java.time.Instant in = java.time.Instant.ofEpochSecond(enteredSecond);
    return new Receipt(id, "s", "g", token, in, in.plusSeconds(30), List.of(new ReceiptLine(sku, sku, qty, 100, qty * 100L, 1.0)),
        qty * 100L, "EUR", false, List.of(), null);
  }
}
