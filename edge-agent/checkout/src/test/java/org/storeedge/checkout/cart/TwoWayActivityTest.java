package org.storeedge.checkout.cart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.storeedge.config.StoreConfig;

class TwoWayActivityTest {
  private static StoreConfig.Product p(String sku, double grams, double spread) {
    return new StoreConfig.Product(sku, sku, grams, spread, 100, "EUR");
  }

  private final TwoWayActivity twoWay = new TwoWayActivity(Map.of(
      "SPARK-6PK", p("SPARK-6PK", 9420, 94),
      "WATER-6PK", p("WATER-6PK", 9380, 94),
      "RICE-5K", p("RICE-5K", 5020, 40),
      "GUM-10", p("GUM-10", 25, 1.5),
      "COLA", p("COLA", 352, 4),
      "CANDY", p("CANDY", 55, 1.5),
      "SHAMPOO", p("SHAMPOO", 250, 5),
      "LOTION", p("LOTION", 256, 5),
      "SOAP", p("SOAP", 150, 3)));

  @Test
  void aSixPackPutOnAnotherSixPacksLaneWhileOneIsTakenIsASwapNotAPackOfGum() {
    // still water put on the sparkling lane, a sparkling pack taken off: net -27 g, 9.3 kg above the level before
    TwoWayActivity.Result r = twoWay.explain(-27.4, 0.75, 9324, Map.of("SPARK-6PK", 10), List.of(
        new TwoWayActivity.Holder("cust-b", 0.7, Map.of()),
        new TwoWayActivity.Holder("cust-a", 0.3, Map.of("WATER-6PK", 1, "RICE-5K", 1))));
    // a pack of gum (in this six-product catalog, one of the strays a lane may hold) weighs 25 g
    assertThat(r.twoWayProbability()).isGreaterThan(0.5);
    assertThat(r.best().probability()).isGreaterThan(0.5);
    assertThat(r.best().holder()).isEqualTo("cust-a");
    assertThat(r.best().putSku()).isEqualTo("WATER-6PK");
    assertThat(r.best().takeSku()).isEqualTo("SPARK-6PK");
    assertThat(r.best().putCount()).isEqualTo(1);
    assertThat(r.best().takeCount()).isEqualTo(1);
  }

  @Test
  void aHandPressingDuringAnOrdinaryPickIsNoSwap() {
    // a can taken with a hand pressing 120 g on the lane; the shopper beside holds a can too
    TwoWayActivity.Result r = twoWay.explain(-352.5, 1.0, 120, Map.of("COLA", 12),
        List.of(new TwoWayActivity.Holder("jo", 0.8, Map.of("COLA", 1)),
            new TwoWayActivity.Holder("kim", 0.2, Map.of("CANDY", 2))));
    assertThat(r.twoWayProbability()).isLessThan(0.05);
  }

  @Test
  void anElbowOnTheShelfThatWeighsLikeNothingAnyoneCarriesIsNoSwap() {
    TwoWayActivity.Result r = twoWay.explain(0.4, 0.8, 1400, Map.of("COLA", 12),
        List.of(new TwoWayActivity.Holder("jo", 1.0, Map.of("CANDY", 1))));
    assertThat(r.twoWayProbability()).isLessThan(0.01);
  }

  @Test
  void aCanPutBackWhileAnotherIsTakenLeavesNoNetChangeButIsSeen() {
    // kim returns the can she carried while jo takes one: the lane ends where it began
    TwoWayActivity.Result r = twoWay.explain(0.6, 0.8, 360, Map.of("COLA", 11),
        List.of(new TwoWayActivity.Holder("kim", 0.5, Map.of("COLA", 1))));
    assertThat(r.twoWayProbability()).isGreaterThan(TwoWayActivityTest.DOUBT);
    assertThat(r.best().putSku()).isEqualTo("COLA");
    assertThat(r.best().takeSku()).isEqualTo("COLA");
  }

  @Test
  void unitsWeighedWhenTakenTellLookAlikesApart() {
    // shampoo (247 g as weighed) and lotion (259 g) held; one of them put on the soap lane while a
    // 150 g soap is taken: +97 g net says the shampoo, which the catalog's 250 +- 5 / 256 +- 5 cannot
    Map<String, Integer> held = Map.of("SHAMPOO", 1, "LOTION", 1);
    TwoWayActivity.Result weighed = twoWay.explain(97.2, 1.0, 160, Map.of("SOAP", 20),
        List.of(new TwoWayActivity.Holder("kim", 1.0, held,
            Map.of("SHAMPOO", new double[] {247.0}, "LOTION", new double[] {259.0}))));
    TwoWayActivity.Result catalog = twoWay.explain(97.2, 1.0, 160, Map.of("SOAP", 20),
        List.of(new TwoWayActivity.Holder("kim", 1.0, held)));
    assertThat(weighed.best().putSku()).isEqualTo("SHAMPOO");
    assertThat(weighed.best().probability()).isGreaterThan(0.8);
    assertThat(catalog.best().probability()).isLessThan(weighed.best().probability());
  }

  @Test
  void aRestockByStaffWhileAShopperTakesIsATwoWayActivityOfMoreUnitsThanACartHolds() {
    // five cans put on by staff, two taken: net +3 cans, two cans' weight above where it settled
    TwoWayActivity.Result r = twoWay.explain(3 * 352.0, 1.5, 2 * 352.0 + 20, Map.of("COLA", 6),
        List.of(TwoWayActivity.Holder.restocking("staff-1", 0.5, "COLA", 12)));
    // (an elbow of 724 g on the lane during a restock of three is the other explanation)
    assertThat(r.twoWayProbability()).isGreaterThan(0.6);
    assertThat(r.best().holder()).isEqualTo("staff-1");
    assertThat(r.best().putCount()).isEqualTo(5);
    assertThat(r.best().takeCount()).isEqualTo(2);
  }

  @Test
  void aRestockWithAHandPressingIsNoSwap() {
    TwoWayActivity.Result r = twoWay.explain(6 * 352.0, 1.5, 110, Map.of("COLA", 6),
        List.of(TwoWayActivity.Holder.restocking("staff-1", 0.9, "COLA", 12)));
    assertThat(r.twoWayProbability()).isLessThan(0.2);
  }

  @Test
  void aBottleLiftedAndPutStraightBackIsNotBookedAsASwapWithALookAlikeInTheCart() {
    // the load went a bottle's weight below both levels (lifted first), net +3 g; the shopper
    // holds a wine that weighs like the lane's
    TwoWayActivity wines = new TwoWayActivity(Map.of("CHARD", p("CHARD", 1300, 20), "CDR", p("CDR", 1303, 20)));
    TwoWayActivity.Result r = wines.explain(3, 2.0, -1300, Map.of("CHARD", 10),
        List.of(new TwoWayActivity.Holder("jo", 1.0, Map.of("CDR", 1))));
    assertThat(r.best().probability()).isLessThan(0.5);
  }

  @Test
  void sixSinglesTakenWhileTheirSixPackIsPutOnTheirLaneIsThatSwap() {
    TwoWayActivity beer = new TwoWayActivity(Map.of("IPA", p("IPA", 520, 8), "IPA-6PK", p("IPA-6PK", 3205, 30)));
    // the six-pack put on the singles' lane first, six singles taken: net +85 g, 3.1 kg above it
    TwoWayActivity.Result r = beer.explain(85, 2.0, 3120, Map.of("IPA", 24),
        List.of(new TwoWayActivity.Holder("sam", 1.0, Map.of("IPA-6PK", 1))));
    assertThat(r.best().putSku()).isEqualTo("IPA-6PK");
    assertThat(r.best().takeSku()).isEqualTo("IPA");
    assertThat(r.best().takeCount()).isEqualTo(6);
    assertThat(r.best().probability()).isGreaterThan(0.5);
  }

  private static final double DOUBT = 0.2;
}
