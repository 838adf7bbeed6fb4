package org.storeedge.checkout.weight;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.storeedge.checkout.TestStores;
import org.storeedge.config.StoreConfig;

class StockMonitorTest {
  private final StoreConfig store = TestStores.small();
  private final LaneInventory inventory = new LaneInventory(store);
  private final StockMonitor monitor = new StockMonitor(store, inventory, 0.25);

  @Test
  void alertsOnceWhenALaneRunsLowAndAgainWhenItRunsOut() {
    inventory.apply("l1", "COLA", -8); // 4 of 12 left: above 25 %
    assertThat(monitor.update("l1", 1).alert()).isFalse();
    inventory.apply("l1", "COLA", -1); // 3 of 12: low
    StockMonitor.StockUpdate low = monitor.update("l1", 2);
    assertThat(low.level()).isEqualTo(StockMonitor.Level.LOW);
    assertThat(low.alert()).isTrue();
    inventory.apply("l1", "COLA", -1);
    assertThat(monitor.update("l1", 3).alert()).isFalse();
    inventory.apply("l1", "COLA", -2);
    StockMonitor.StockUpdate out = monitor.update("l1", 4);
    assertThat(out.level()).isEqualTo(StockMonitor.Level.OUT);
    assertThat(out.alert()).isTrue();
    assertThat(out.toJson()).contains("\"type\":\"stock-alert\"").contains("\"level\":\"OUT\"");
  }

  @Test
  void reportsProductsOnTheWrongLane() {
    inventory.apply("l3", "CANDY", 1);
    StockMonitor.StockUpdate u = monitor.update("l3", 5);
    assertThat(u.misplaced()).containsEntry("CANDY", 1);
    assertThat(u.toJson()).contains("\"misplaced\":{\"CANDY\":1}");
  }
}
