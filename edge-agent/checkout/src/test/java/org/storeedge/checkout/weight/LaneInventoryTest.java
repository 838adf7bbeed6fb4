package org.storeedge.checkout.weight;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.storeedge.checkout.TestStores;

class LaneInventoryTest {
  private final LaneInventory inventory = new LaneInventory(TestStores.small()); // l1 holds 12 COLA

  @Test
  void misplacedUnitsKeepTheWeightTheyWereMeasuredAt() {
    inventory.apply("l1", "CANDY", 1, 56.1);
    inventory.apply("l1", "CANDY", 1, 53.9);
    assertThat(inventory.count("l1", "CANDY")).isEqualTo(2);
    assertThat(inventory.measuredUnits("l1").get("CANDY")).containsExactly(56.1, 53.9);
    // a pick of one weighing 54 g takes the 53.9 g unit
    inventory.apply("l1", "CANDY", -1, 54.0);
    assertThat(inventory.measuredUnits("l1").get("CANDY")).containsExactly(56.1);
    inventory.apply("l1", "CANDY", -1, 56.0);
    assertThat(inventory.measuredUnits("l1")).isEmpty();
    assertThat(inventory.misplaced()).isEmpty();
  }

  @Test
  void thePlannedProductIsNotWeighedUnitByUnitAndMiscountsDropTheOldest() {
    inventory.apply("l1", "COLA", -1, 351.0);
    inventory.apply("l1", "COLA", 1, 353.0);
    assertThat(inventory.measuredUnits("l1")).isEmpty();
    inventory.apply("l1", "CANDY", 2, 55.0);
    inventory.apply("l1", "CANDY", -1); // taken, weight unknown
    assertThat(inventory.count("l1", "CANDY")).isEqualTo(1);
    inventory.apply("l1", "CANDY", 1, 57.0);
    assertThat(inventory.measuredUnits("l1").get("CANDY")).hasSize(2).contains(57.0);
  }
}
