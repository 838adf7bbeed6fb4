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

/** Open visits and lane contents survive a restart of the checkout; a visit without an exit is not kept open for ever. */
class CheckoutSnapshotTest {
  private static final long T0 = 1_700_000_000_000L;

  private final List<Receipt> receipts = new ArrayList<>();

  private CheckoutEngine engine(StoreConfig store, LaneInventory inventory) {
    return new CheckoutEngine(store, inventory, new WeightModel(store.productsBySku()), CheckoutSettings.defaults(),
        at -> Map.of(), receipts::add, n -> { });
  }

  private static void pick(CheckoutEngine engine, String token, String lane, String sku, double grams, long at) {
    Inputs.standing(engine, Map.of(token, new double[] {1.5, 1.0}), at - 3000, at + 3000);
    engine.onShelfEvent(Inputs.laneEvent("e-" + at, "s1", lane, -grams, 1.0, sku, 1, 0.999, at, at + 1400));
  }

  @Test
  void aCartAndTheLanesOutliveARestartAndTheReceiptKeepsItsId() {
    StoreConfig store = TestStores.small();
    // the same visit without a restart, for the receipt id
    CheckoutEngine plain = engine(store, new LaneInventory(store));
    plain.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "alice", T0));
    pick(plain, "alice", "l1", "COLA", 352, T0 + 5000);
    plain.onGate(new GateEvent("door", GateEvent.Direction.EXIT, "alice", T0 + 20_000));
    plain.poll(T0 + 30_000);
    String expectedId = receipts.remove(0).receiptId();

    LaneInventory before = new LaneInventory(store);
    CheckoutEngine first = engine(store, before);
    first.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "alice", T0));
    pick(first, "alice", "l1", "COLA", 352, T0 + 5000);
    CheckoutSnapshot snap = first.snapshot(T0 + 8000);
    assertThat(snap.visits()).singleElement().satisfies(v -> {
      assertThat(v.token()).isEqualTo("alice");
      assertThat(v.cart()).extracting(CheckoutSnapshot.Line::sku, CheckoutSnapshot.Line::qty)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("COLA", 1));
    });

    LaneInventory after = new LaneInventory(store);
    CheckoutEngine second = engine(store, after);
    second.restore(snap, T0 + 15_000);
    assertThat(after.count("l1", "COLA")).isEqualTo(11);
    second.onGate(new GateEvent("door", GateEvent.Direction.EXIT, "alice", T0 + 20_000));
    second.poll(T0 + 30_000);
    assertThat(receipts).singleElement().satisfies(r -> {
      assertThat(r.receiptId()).isEqualTo(expectedId);
      assertThat(r.items()).extracting(ReceiptLine::sku, ReceiptLine::qty)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("COLA", 1));
      // the pick made before the restart is still the line's evidence
      assertThat(r.items().get(0).evidence()).extracting(LineEvidence::eventId).containsExactly("e-" + (T0 + 5000));
      assertThat(r.reviewReasons()).extracting(ReviewReason::code).containsExactly("agent-restarted");
    });
  }

  @Test
  void aLaneThePlanogramGaveAnotherProductStartsFromTheStoreFile() {
    StoreConfig store = TestStores.small();
    LaneInventory before = new LaneInventory(store);
    CheckoutEngine first = engine(store, before);
    first.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "alice", T0));
    pick(first, "alice", "l1", "COLA", 352, T0 + 5000);
    pick(first, "alice", "l2", "CANDY", 55, T0 + 9000);
    CheckoutSnapshot snap = first.snapshot(T0 + 12_000);

    List<StoreConfig.Lane> lanes = new ArrayList<>(store.shelves().get(0).lanes());
    StoreConfig.Lane l2 = lanes.get(1);
    lanes.set(1, new StoreConfig.Lane(l2.id(), "BAR", 20, 20, l2.channel(), l2.position()));
    StoreConfig moved = store.withShelves(List.of(store.shelves().get(0).withLanes(lanes)));
    LaneInventory after = new LaneInventory(moved);
    engine(moved, after).restore(snap, T0 + 15_000);
    assertThat(after.count("l1", "COLA")).isEqualTo(11);
    assertThat(after.count("l2", "BAR")).isEqualTo(20);
    assertThat(after.count("l2", "CANDY")).isZero();
  }

  @Test
  void aPickWhileTheAgentWasDownGoesToAShopperInsideForReview() {
    StoreConfig store = TestStores.small();
    CheckoutEngine first = engine(store, new LaneInventory(store));
    first.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "alice", T0));
    CheckoutSnapshot snap = first.snapshot(T0 + 2000);

    LaneInventory after = new LaneInventory(store);
    CheckoutEngine second = engine(store, after);
    second.restore(snap, T0 + 40_000);
    // the change the shelf reports over the gap (see LaneDetector.expectLevel), no positions then
    second.onShelfEvent(Inputs.laneEvent("gap", "s1", "l1", -352.0, 2.0, "COLA", 1, 0.999, T0 + 2000, T0 + 41_000));
    second.onGate(new GateEvent("door", GateEvent.Direction.EXIT, "alice", T0 + 50_000));
    second.poll(T0 + 60_000);
    assertThat(receipts).singleElement().satisfies(r -> {
      assertThat(r.items()).extracting(ReceiptLine::sku).containsExactly("COLA");
      assertThat(r.needsReview()).isTrue();
      assertThat(r.reviewReasons()).extracting(ReviewReason::code).contains("agent-restarted");
    });
    assertThat(after.count("l1", "COLA")).isEqualTo(11);
  }

  @Test
  void aVisitWhoseExitIsNeverReportedIsClosedForReviewAfterThreeHours() {
    StoreConfig store = TestStores.small();
    CheckoutEngine engine = engine(store, new LaneInventory(store));
    engine.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "bob", T0));
    pick(engine, "bob", "l1", "COLA", 352, T0 + 5000);
    engine.poll(T0 + CheckoutEngine.MAX_VISIT_MILLIS - 1000);
    assertThat(receipts).isEmpty();
    engine.poll(T0 + CheckoutEngine.MAX_VISIT_MILLIS + 1000);
    assertThat(receipts).singleElement().satisfies(r -> {
      assertThat(r.items()).extracting(ReceiptLine::sku).containsExactly("COLA");
      assertThat(r.reviewReasons()).extracting(ReviewReason::code).containsExactly("no-exit-seen");
    });
  }
}
