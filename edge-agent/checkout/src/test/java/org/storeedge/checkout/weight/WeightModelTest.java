package org.storeedge.checkout.weight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.storeedge.checkout.TestStores;
import org.storeedge.core.event.ShelfEvent.Candidate;

class WeightModelTest {
  private final WeightModel model = new WeightModel(TestStores.small().productsBySku());

  @Test
  void countsSeveralIdenticalUnits() {
    List<Candidate> c = model.explain("l2", 3 * 55 + 1.2, 1.0, Map.of("CANDY", 1.0), null, 5);
    assertThat(c.get(0).sku()).isEqualTo("CANDY");
    assertThat(c.get(0).count()).isEqualTo(3);
    assertThat(c.get(0).likelihood()).isGreaterThan(0.95);
  }

  @Test
  void theLanePriorDecidesBetweenOverlappingWeights() {
    // 4 x 43 g = 172 g lies near 3 x 55 g = 165 g only loosely; with the lane holding BAR it wins
    List<Candidate> c = model.explain("l3", 172, 1.0, Map.of("BAR", 1.0, "CANDY", 0.01), null, 5);
    assertThat(c.get(0).sku()).isEqualTo("BAR");
    assertThat(c.get(0).count()).isEqualTo(4);
  }

  @Test
  void aWeightThatFitsNothingHasLowConfidence() {
    List<Candidate> c = model.explain("l1", 250, 1.0, Map.of("COLA", 1.0), null, 5);
    assertThat(c.isEmpty() || c.get(0).likelihood() < 0.5).isTrue();
  }

  @Test
  void countLimitsRestrictPutBacksToWhatTheShopperHolds() {
    List<Candidate> c = model.explain("l1", 704, 2.0, Map.of("COLA", 1.0), Map.of("COLA", 1), 5);
    assertThat(c).allMatch(x -> x.count() <= 1);
  }
}
