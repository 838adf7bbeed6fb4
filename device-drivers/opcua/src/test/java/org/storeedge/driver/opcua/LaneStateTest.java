package org.storeedge.driver.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned;
import org.junit.jupiter.api.Test;
import org.storeedge.core.device.ReadingStatus;
import org.storeedge.core.device.WeightReading;

class LaneStateTest {
  private static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
  private final LaneState lane = new LaneState("l1", "lane1", null);

  private static DataValue value(Object v, long sourceMillis) {
    DateTime t = new DateTime(Instant.ofEpochMilli(sourceMillis));
    return new DataValue(new Variant(v), StatusCode.GOOD, t, t);
  }

  @Test
  void aGoodNumberIsOkInGramsAtItsSourceTime() {
    WeightReading r = lane.accept(value(1.25, T0), T0 + 500, 1000);
    assertThat(r).isEqualTo(new WeightReading("l1", T0, 1250.0, ReadingStatus.OK));
    assertThat(lane.accept(value(Unsigned.uint(7), T0 + 1), T0 + 500, 1).grams()).isEqualTo(7.0);
  }

  @Test
  void aValueNotNewerThanTheLastDeliveredIsADuplicate() {
    assertThat(lane.accept(value(10.0, T0 + 100), T0, 1)).isNotNull();
    assertThat(lane.accept(value(10.0, T0 + 100), T0 + 1000, 1)).isNull();
    assertThat(lane.accept(value(9.0, T0 + 50), T0 + 1000, 1)).isNull();
    assertThat(lane.accept(value(11.0, T0 + 101), T0 + 1000, 1).grams()).isEqualTo(11.0);
  }

  @Test
  void afterAnOutageTheUnchangedValueIsDeliveredOnceAtTheRecoveryTime() {
    lane.accept(value(10.0, T0), T0, 1);
    WeightReading down = lane.disconnected(T0 + 1000);
    assertThat(down.status()).isEqualTo(ReadingStatus.DISCONNECTED);
    assertThat(lane.disconnected(T0 + 2000)).as("disconnected only once").isNull();

    WeightReading back = lane.accept(value(10.0, T0), T0 + 5000, 1);
    assertThat(back).isEqualTo(new WeightReading("l1", T0 + 5000, 10.0, ReadingStatus.OK));
    assertThat(lane.accept(value(10.0, T0), T0 + 6000, 1)).as("and only once").isNull();
  }

  @Test
  void timeNeverGoesBackwardsWithinALane() {
    lane.disconnected(T0 + 1000);
    WeightReading r = lane.accept(value(3.0, T0 + 400), T0 + 1200, 1); // server clock behind
    assertThat(r.atMillis()).isEqualTo(T0 + 1000);
  }

  @Test
  void badUncertainNanAndNonNumbersAreFaults() {
    DateTime t = new DateTime(Instant.ofEpochMilli(T0));
    assertThat(lane.accept(new DataValue(new Variant(1.0), new StatusCode(StatusCodes.Bad_SensorFailure), t, t), T0, 1).status())
        .isEqualTo(ReadingStatus.INVALID);
    assertThat(lane.accept(new DataValue(new Variant(1.0), new StatusCode(StatusCodes.Bad_NoCommunication), null, null), T0, 1).status())
        .isEqualTo(ReadingStatus.DISCONNECTED);
    assertThat(lane.accept(new DataValue(new Variant(1.0), StatusCode.UNCERTAIN, null, null), T0, 1).status())
        .isEqualTo(ReadingStatus.INVALID);
    assertThat(lane.accept(value(Double.NaN, T0 + 1), T0, 1).status()).isEqualTo(ReadingStatus.INVALID);
    assertThat(lane.accept(value(Double.POSITIVE_INFINITY, T0 + 2), T0, 1).status()).isEqualTo(ReadingStatus.INVALID);
    assertThat(lane.accept(value("12", T0 + 3), T0, 1).status()).isEqualTo(ReadingStatus.INVALID);
    assertThat(lane.accept(value(true, T0 + 4), T0, 1).status()).isEqualTo(ReadingStatus.INVALID);
    assertThat(lane.accept(new DataValue(Variant.NULL_VALUE, StatusCode.GOOD, null, null), T0, 1).status())
        .isEqualTo(ReadingStatus.INVALID);
    WeightReading ok = lane.accept(value(5.0, T0 + 5), T0, 1);
    assertThat(ok.status()).isEqualTo(ReadingStatus.OK);
  }

  @Test
  void aValueWithoutSourceTimeIsStampedWithTheGatewayClock() {
    WeightReading r = lane.accept(new DataValue(new Variant(4.0), StatusCode.GOOD, null, null), T0 + 42, 1);
    assertThat(r.atMillis()).isEqualTo(T0 + 42);
  }
}
