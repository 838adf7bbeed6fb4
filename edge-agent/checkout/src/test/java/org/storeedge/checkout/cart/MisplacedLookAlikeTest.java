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

/** A return to the wrong lane of one of two look-alike products the shopper held. */
class MisplacedLookAlikeTest {
  private static final long T0 = 1_700_000_000_000L;
  private final StoreConfig store = TestStores.withLookAlike();
  private final LaneInventory inventory = new LaneInventory(store);
  private final List<Receipt> receipts = new ArrayList<>();
  private final CheckoutEngine engine = new CheckoutEngine(store, inventory, new WeightModel(store.productsBySku()),
      CheckoutSettings.defaults(), at -> Map.of(), receipts::add, n -> { });

  private void at(String token, String lane, double grams, String sku, long t) {
    StoreConfig.Lane l = store.lane(lane).orElseThrow();
    Inputs.standing(engine, Map.of(token, new double[] {l.position().x() + 0.5, l.position().y()}), t - 3000, t + 3000);
    engine.onShelfEvent(Inputs.laneEvent("e-" + t, "s1", lane, grams, 1.0, sku, 1, 0.999, t, t + 1400));
  }

  @Test
  void whoeverTakesAnItemWhoseProductWasInDoubtWhenItCameBackIsLookedAt() {
    engine.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "alice", T0));
    engine.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "bob", T0 + 1000));
    at("alice", "l1", -352.0, "COLA", T0 + 10_000);
    at("alice", "l4", -354.0, "ICE-TEA", T0 + 20_000);
    // one of the two cans, 353 g, put on the candy lane: cola or ice tea, the weight cannot say
    at("alice", "l2", +353.0, "COLA", T0 + 30_000);
    engine.onGate(new GateEvent("door", GateEvent.Direction.EXIT, "alice", T0 + 45_000));
    // bob takes that can off the candy lane: it weighs like the product the lane is believed to hold
    String misplaced = inventory.contents("l2").keySet().stream().filter(k -> !k.equals("CANDY")).findFirst()
        .orElseThrow();
    at("bob", "l2", -353.0, misplaced, T0 + 60_000);
    engine.onGate(new GateEvent("door", GateEvent.Direction.EXIT, "bob", T0 + 75_000));
    engine.poll(T0 + 90_000);
    Receipt bob = receipts.stream().filter(r -> r.customerToken().equals("bob")).findFirst().orElseThrow();
    assertThat(bob.items()).singleElement().satisfies(x -> assertThat(x.sku()).isEqualTo(misplaced));
    assertThat(bob.reviewReasons()).anySatisfy(r -> {
      assertThat(r.code()).isEqualTo("unexpected-product");
      assertThat(r.message()).contains("was taken for " + misplaced + " with probability");
    });
    Receipt alice = receipts.stream().filter(r -> r.customerToken().equals("alice")).findFirst().orElseThrow();
    assertThat(alice.needsReview()).isTrue();
  }

  @Test
  void afterAPickOfDoubtfulProductFromALaneHoldingAMisplacedUnitTheNextPickThereIsLookedAt() {
    engine.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "alice", T0));
    engine.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "bob", T0 + 1000));
    engine.onGate(new GateEvent("door", GateEvent.Direction.ENTER, "carol", T0 + 2000));
    at("alice", "l1", -352.0, "COLA", T0 + 10_000);
    // alice, who holds nothing else, leaves her cola on the ice tea lane: surely a cola
    at("alice", "l4", +352.0, "COLA", T0 + 20_000);
    assertThat(inventory.count("l4", "COLA")).isEqualTo(1);
    // bob takes a can there: the cola in front or an ice tea, the weight cannot say
    StoreConfig.Lane l4 = store.lane("l4").orElseThrow();
    long t = T0 + 40_000;
    Inputs.standing(engine, Map.of("bob", new double[] {l4.position().x() + 0.5, l4.position().y()}), t - 3000, t + 3000);
    engine.onShelfEvent(new org.storeedge.core.event.ShelfEvent("e-" + t, "s1", t, t + 1400, -353.0, 1.0,
        List.of(new org.storeedge.core.event.ShelfEvent.LaneChange("l4", -353.0, 1.0, t, t + 1400)),
        List.of(new org.storeedge.core.event.ShelfEvent.Candidate("COLA", 1, "l4", 0.6),
            new org.storeedge.core.event.ShelfEvent.Candidate("ICE-TEA", 1, "l4", 0.4)), 0.6));
    // carol takes the next can: believed all ice tea now, it may be the cola bob did not take
    at("carol", "l4", -353.0, "ICE-TEA", T0 + 60_000);
    for (String token : List.of("alice", "bob", "carol")) {
      engine.onGate(new GateEvent("door", GateEvent.Direction.EXIT, token, T0 + 70_000));
    }
    engine.poll(T0 + 90_000);
    Receipt carol = receipts.stream().filter(r -> r.customerToken().equals("carol")).findFirst().orElseThrow();
    assertThat(carol.reviewReasons()).anySatisfy(r -> {
      assertThat(r.code()).isEqualTo("unexpected-product");
      assertThat(r.message()).contains("was taken for COLA with probability 0.6");
      assertThat(r.evidence().toString()).contains("ICE-TEA");
    });
  }
}
