package org.storeedge.checkout.cart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.storeedge.checkout.TestStores;
import org.storeedge.checkout.weight.LaneInventory;
import org.storeedge.checkout.weight.WeightModel;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.event.GateEvent;

/**
 * A shopper on the far side of a shelf (the other face of a gondola) stands closer to a lane's
 * centre than the one in front who reaches into it: with the shelf's front known, the one behind
 * is no candidate.
 */
class ShelfFrontTest {
  private static final long T0 = 1_700_000_000_000L;

  /** alice 0.6 m in front of l1 (+x), bob 0.4 m behind it; one cola leaves l1; both walk out. */
  private static List<Receipt> colaTakenWithBobBehindTheShelf(OptionalDouble facing) {
    StoreConfig store = TestStores.small(facing);
    List<Receipt> receipts = new ArrayList<>();
    CheckoutEngine engine = new CheckoutEngine(store, new LaneInventory(store), new WeightModel(store.productsBySku()),
        CheckoutSettings.defaults(), at -> Map.of(), receipts::add, n -> { });
    engine.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "alice", T0));
    engine.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "bob", T0 + 100));
    Inputs.standing(engine, Map.of("alice", new double[] {1.6, 1.0}, "bob", new double[] {0.6, 1.0}), T0 + 1000, T0 + 9000);
    engine.onShelfEvent(Inputs.laneEvent("e1", "s1", "l1", -352.0, 1.0, "COLA", 1, 0.999, T0 + 5000, T0 + 6400));
    engine.onGate(new GateEvent("door", GateEvent.Direction.EXIT, "alice", T0 + 10_000));
    engine.onGate(new GateEvent("door", GateEvent.Direction.EXIT, "bob", T0 + 10_100));
    engine.poll(T0 + 20_000);
    return receipts;
  }

  private static Receipt of(List<Receipt> receipts, String token) {
    return receipts.stream().filter(r -> r.customerToken().equals(token)).findFirst().orElseThrow();
  }

  @Test
  void aShopperBehindAShelfWhoseFacingIsGivenIsNotChargedForWhatLeftItsFront() {
    List<Receipt> receipts = colaTakenWithBobBehindTheShelf(OptionalDouble.of(0)); // faces +x
    assertThat(of(receipts, "alice").items()).extracting(ReceiptLine::sku).containsExactly("COLA");
    assertThat(of(receipts, "alice").needsReview()).isFalse();
    assertThat(of(receipts, "bob").items()).isEmpty();
    assertThat(of(receipts, "bob").needsReview()).isFalse();
  }

  @Test
  void withoutAGivenFacingTheNearerShopperIsTheLikelierTakerAndTheLineIsReviewed() {
    // the inferred front is not trusted by the checkout (it faces -x here, towards the door)
    List<Receipt> receipts = colaTakenWithBobBehindTheShelf(OptionalDouble.empty());
    assertThat(of(receipts, "bob").items()).extracting(ReceiptLine::sku).containsExactly("COLA");
    assertThat(receipts).allSatisfy(r -> assertThat(r.needsReview()).isTrue());
  }
}
