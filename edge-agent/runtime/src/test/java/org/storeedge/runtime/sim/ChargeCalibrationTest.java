package org.storeedge.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.storeedge.checkout.cart.LineEvidence;
import org.storeedge.checkout.cart.Receipt;
import org.storeedge.checkout.cart.ReceiptLine;
import org.storeedge.core.json.Json;
import org.storeedge.simulator.GroundTruth;

class ChargeCalibrationTest {
  private static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");

  /** A take by {@code token} at {@code lane}, the item moving {@code atSeconds} after T0. */
  private static GroundTruth.Action take(String token, String lane, int atSeconds) {
    Instant at = T0.plusSeconds(atSeconds);
    return new GroundTruth.Action(token, "trk-" + token, lane, "COLA", -1, GroundTruth.Kind.TAKE, at.minusMillis(600),
        at, at.plusMillis(500), List.of(352.0), lane);
  }

  private static GroundTruth.Shopper shopper(String token, GroundTruth.Action... actions) {
    return new GroundTruth.Shopper(token, "trk-" + token, T0, T0.plusSeconds(600), new TreeMap<>(), List.of(actions));
  }

  /** A line evidence entry for a pick at {@code lane} around {@code atSeconds}, stated {@code p}, with others or not. */
  private static LineEvidence pick(String lane, int atSeconds, double p, boolean contested) {
    long at = T0.plusSeconds(atSeconds).toEpochMilli();
    return new LineEvidence("e-" + atSeconds, at - 700, at + 900, lane, 1, -352, "pick", 1.0, p, -1,
        contested ? List.of(new LineEvidence.Other("other", 1 - p, 1.0)) : List.of(), List.of());
  }

  private static Receipt receipt(String id, String amends, String token, LineEvidence... movements) {
    return new Receipt(id, "s", "g", token, T0, T0.plusSeconds(600),
        List.of(new ReceiptLine("COLA", "Cola", movements.length, 149, 149L * movements.length, 0.9, List.of(movements))),
        0, "EUR", false, List.of(), amends);
  }

  @Test
  void eachContestedTakeCountsInItsStatedProbabilityBinRightWhenTheOneTrueTakerIsCharged() {
    GroundTruth truth = new GroundTruth(List.of(
        shopper("ann", take("ann", "a1", 10), take("ann", "a2", 50)),
        shopper("bob", take("bob", "a1", 30), take("bob", "a3", 70), take("bob", "a3", 90)),
        shopper("cy", take("cy", "a3", 90))));
    ChargeCalibration c = new ChargeCalibration();
    c.add(List.of(
        receipt("r-ann", null, "ann", pick("a1", 10, 0.97, true), pick("a2", 50, 1.0, false), pick("a1", 30, 0.82, true)),
        receipt("r-bob", null, "bob", pick("a3", 70, 0.77, true), pick("a3", 90, 0.9, true)),
        // a pick at a lane where nobody truly took: not matched
        receipt("r-cy", null, "cy", pick("a4", 20, 0.99, true))), truth);
    assertThat(c.contested(ChargeCalibration.bin(0.97))).isEqualTo(1);
    assertThat(c.contestedRight(ChargeCalibration.bin(0.97))).isEqualTo(1);
    // ann was charged bob's take at 0.82: wrong
    assertThat(c.contested(ChargeCalibration.bin(0.82))).isEqualTo(1);
    assertThat(c.contestedRight(ChargeCalibration.bin(0.82))).isZero();
    assertThat(c.contestedRight(ChargeCalibration.bin(0.77))).isEqualTo(1);
    assertThat(c.alone()).isEqualTo(1);
    assertThat(c.aloneRight()).isEqualTo(1);
    // bob and cy both took at a3 at 90 s; the a4 pick has no true take
    assertThat(c.unmatched()).isEqualTo(2);
    assertThat(c.contested()).isEqualTo(3);
    assertThat(c.summary()).contains("(3)").contains("0.95+ 100.0 % of 1 (stated 97.0)")
        .contains("0.8-0.85 0.0 % of 1 (stated 82.0)").contains("not matched to one true taker: 2");
    assertThat(c.contestedStated(ChargeCalibration.bin(0.77))).isCloseTo(0.77, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(Json.write(c)).contains("\"takes\":1,\"right\":0,\"meanStated\":0.82");
    // what: every matched take was one COLA, charged as one COLA (stated 1.0)
    assertThat(c.product(ChargeCalibration.bin(1.0))).isEqualTo(4);
    assertThat(c.productRight(ChargeCalibration.bin(1.0))).isEqualTo(4);
  }

  @Test
  void aTakeChargedAsTheWrongCountIsAWrongProductAtItsStatedProbability() {
    GroundTruth truth = new GroundTruth(List.of(shopper("ann", take("ann", "a1", 10), take("ann", "a1", 11))));
    long at = T0.plusSeconds(10).toEpochMilli();
    LineEvidence one = new LineEvidence("e-1", at - 700, at + 1200, "a1", 1, -704, "pick", 0.62, 1.0, -1, List.of(),
        List.of(new LineEvidence.Product("COLA", 2, 0.38)));
    ChargeCalibration c = new ChargeCalibration();
    c.add(List.of(receipt("r-ann", null, "ann", one)), truth);
    assertThat(c.product(ChargeCalibration.bin(0.62))).isEqualTo(1);
    assertThat(c.productRight(ChargeCalibration.bin(0.62))).isZero();
    assertThat(c.alone()).isEqualTo(1);
    assertThat(c.summary()).contains("charged product and count are what left the lane, by stated probability (1): "
        + "0.6-0.7 0.0 % of 1");
  }

  @Test
  void anAmendmentReplacesTheReceiptItAmends() {
    GroundTruth truth = new GroundTruth(List.of(shopper("ann", take("ann", "a1", 10)), shopper("bob")));
    ChargeCalibration c = new ChargeCalibration();
    c.add(List.of(receipt("r-bob", null, "bob", pick("a1", 10, 0.6, true)),
        receipt("r-bob-a1", "r-bob", "bob"), receipt("r-ann", null, "ann")), truth);
    assertThat(c.contested()).isZero();
    assertThat(ChargeCalibration.bin(1.0)).isEqualTo(ChargeCalibration.EDGES.length - 2);
    assertThat(ChargeCalibration.bin(0.0)).isZero();
    assertThat(ChargeCalibration.bin(0.5)).isEqualTo(1);
  }
}
