package org.storeedge.checkout.cart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.storeedge.checkout.TestStores;
import org.storeedge.checkout.weight.LaneInventory;
import org.storeedge.checkout.weight.WeightModel;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.event.GateEvent;

/** Staff restock and remove; shoppers beside them are charged for what they take, nothing more. */
class StaffTest {
  private static final long T0 = 1_700_000_000_000L;

  private final StoreConfig store = TestStores.small().withCheckout(
      new StoreConfig.Checkout(0.8, StoreConfig.HandOffPolicy.REVIEW, List.of("staff-")));
  private final LaneInventory inventory = new LaneInventory(store);
  private final List<Receipt> receipts = new ArrayList<>();
  private final List<CheckoutEngine.Notice> notices = new ArrayList<>();
  private final CheckoutEngine engine = new CheckoutEngine(store, inventory, new WeightModel(store.productsBySku()),
      CheckoutSettings.defaults(), at -> Map.of(), receipts::add, notices::add);

  /** Everyone in {@code where} is seen standing there for 8 s around {@code at}; then lane l1 changes by {@code grams}. */
  private void l1Changes(Map<String, double[]> where, double grams, String sku, int count, long at) {
    Inputs.standing(engine, where, at - 4000, at + 4000);
    engine.onShelfEvent(Inputs.laneEvent("e-" + at, "s1", "l1", grams, 1.5, sku, count, 0.99, at, at + 1500));
  }

  @Test
  void aRestockBesideAShopperIsStockNotARefundAndStaffGetNoReceipt() {
    engine.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "alice", T0));
    engine.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "staff-1", T0 + 100));
    l1Changes(Map.of("alice", new double[] {1.5, 1.0}), -352, "COLA", 1, T0 + 10_000);
    // alice steps aside, the member of staff puts six cans on her lane
    l1Changes(Map.of("alice", new double[] {1.7, 1.9}, "staff-1", new double[] {1.5, 1.0}), 6 * 352.0, "COLA", 6,
        T0 + 30_000);
    assertThat(inventory.count("l1", "COLA")).isEqualTo(12 - 1 + 6);
    engine.onGate(new GateEvent("door", GateEvent.Direction.EXIT, "alice", T0 + 50_000));
    engine.onGate(new GateEvent("door", GateEvent.Direction.EXIT, "staff-1", T0 + 51_000));
    engine.poll(T0 + 60_000);
    assertThat(receipts).singleElement().satisfies(r -> {
      assertThat(r.customerToken()).isEqualTo("alice");
      assertThat(r.items()).extracting(l -> l.sku() + " x" + l.qty()).containsExactly("COLA x1");
      assertThat(r.needsReview()).isFalse();
    });
    assertThat(notices).extracting(CheckoutEngine.Notice::kind).contains("restock", "staff-visit");
    assertThat(notices.stream().filter(n -> n.kind().equals("staff-visit")).findFirst().orElseThrow().details())
        .containsEntry("restocked", Map.of("COLA", 6));
  }

  @Test
  void aShopperTakingWhileStaffRestockInOneMovementIsChargedAndTheRestockIsStock() {
    engine.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "staff-4", T0));
    engine.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "dan", T0 + 100));
    long at = T0 + 10_000;
    Inputs.standing(engine, Map.of("staff-4", new double[] {1.55, 1.3}, "dan", new double[] {1.5, 1.0}), at - 4000,
        at + 4000);
    // five cans put on, two taken off before the lane settled: net +3 cans, but the load went two
    // cans' weight above where it settled
    engine.onShelfEvent(new org.storeedge.core.event.ShelfEvent("e-" + at, "s1", at, at + 3000, 3 * 352.0, 1.5,
        List.of(new org.storeedge.core.event.ShelfEvent.LaneChange("l1", 3 * 352.0, 1.5, at, at + 3000, 2 * 352.0 + 20,
            at + 2000)),
        List.of(new org.storeedge.core.event.ShelfEvent.Candidate("COLA", 3, "l1", 0.99)), 0.99));
    assertThat(inventory.count("l1", "COLA")).isEqualTo(12 + 5 - 2);
    engine.onGate(new GateEvent("door", GateEvent.Direction.EXIT, "dan", T0 + 20_000));
    engine.onGate(new GateEvent("door", GateEvent.Direction.EXIT, "staff-4", T0 + 21_000));
    engine.poll(T0 + 30_000);
    assertThat(receipts).singleElement().satisfies(r -> {
      assertThat(r.customerToken()).isEqualTo("dan");
      assertThat(r.items()).extracting(l -> l.sku() + " x" + l.qty()).containsExactly("COLA x2");
    });
    assertThat(notices.stream().filter(n -> n.kind().equals("staff-visit")).findFirst().orElseThrow().details())
        .containsEntry("restocked", Map.of("COLA", 5));
  }

  @Test
  void whatStaffTakeOffAShelfIsAChargeToNobody() {
    engine.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "staff-2", T0));
    engine.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "bob", T0 + 100));
    l1Changes(Map.of("staff-2", new double[] {1.5, 1.0}, "bob", new double[] {2.9, 3.5}), -2 * 352.0, "COLA", 2,
        T0 + 10_000);
    assertThat(inventory.count("l1", "COLA")).isEqualTo(10);
    engine.onGate(new GateEvent("door", GateEvent.Direction.EXIT, "bob", T0 + 20_000));
    engine.onGate(new GateEvent("door", GateEvent.Direction.EXIT, "staff-2", T0 + 21_000));
    engine.poll(T0 + 30_000);
    assertThat(receipts).singleElement().satisfies(r -> {
      assertThat(r.customerToken()).isEqualTo("bob");
      assertThat(r.items()).isEmpty();
    });
    assertThat(notices).extracting(CheckoutEngine.Notice::kind).contains("staff-removal", "staff-visit");
  }

  @Test
  void aShopperWhoMayHaveTakenWhatStaffStoodBesideIsFlagged() {
    engine.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "staff-3", T0));
    engine.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "carol", T0 + 100));
    // both within reach of l1; the member of staff a little closer
    l1Changes(Map.of("staff-3", new double[] {1.5, 1.0}, "carol", new double[] {1.45, 1.45}), -352, "COLA", 1,
        T0 + 10_000);
    engine.onGate(new GateEvent("door", GateEvent.Direction.EXIT, "carol", T0 + 20_000));
    engine.poll(T0 + 30_000);
    assertThat(receipts).singleElement().satisfies(r -> {
      assertThat(r.items()).isEmpty();
      assertThat(r.reviewReasons()).extracting(ReviewReason::code).contains("ambiguous-shopper");
    });
  }
}
