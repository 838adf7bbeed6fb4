package org.storeedge.driver.opcua;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.storeedge.core.device.ReadingStatus;
import org.storeedge.core.device.WeightReading;

/**
 * What the driver knows of one lane: its last status and the source time of the last value it
 * delivered. Turns OPC UA data values into readings and decides which ones are duplicates.
 *
 * <p>Rules:
 * <ul>
 *   <li>A value whose source timestamp is not newer than the last one delivered for this lane is a
 *       duplicate (a re-sent initial value after the subscription was re-created, a republished
 *       notification) and is dropped — except when the lane is in a fault state and the value is
 *       good: then it is delivered once, stamped with the recovery time, so the lane returns to OK
 *       even when the load did not change during the outage.
 *   <li>Timestamps never go backwards within a lane: a reading is stamped
 *       {@code max(its time, last delivered time)} (the server clock and the gateway clock may
 *       differ slightly).
 *   <li>{@link #disconnected} yields a DISCONNECTED reading only on the transition into it.
 * </ul>
 *
 * <p>Not thread-safe: the driver calls it under its delivery lock.
 */
final class LaneState {
  final String laneId;
  final String channel;
  final NodeId nodeId; // null when the lane's channel has no node mapping

  private ReadingStatus status; // null until the first reading
  private long lastSourceTicks = Long.MIN_VALUE; // OPC UA UtcTime (100 ns since 1601) of the last delivered value
  private long lastAtMillis = Long.MIN_VALUE;

  LaneState(String laneId, String channel, NodeId nodeId) {
    this.laneId = laneId;
    this.channel = channel;
    this.nodeId = nodeId;
  }

  /** Last delivered status; null before the first reading. */
  ReadingStatus status() {
    return status;
  }

  /**
   * The reading for {@code value}, or null when it is a duplicate.
   *
   * @param nowMillis the gateway's time, used when the value carries no source timestamp
   * @param gramsPerUnit factor from the server's unit to grams
   */
  WeightReading accept(DataValue value, long nowMillis, double gramsPerUnit) {
    ReadingStatus st = statusOf(value);
    double grams = Double.NaN;
    if (st == ReadingStatus.OK) {
      grams = ((Number) value.getValue().getValue()).doubleValue() * gramsPerUnit;
      if (Double.isNaN(grams) || Double.isInfinite(grams)) {
        st = ReadingStatus.INVALID;
        grams = Double.NaN;
      }
    }
    DateTime source = value.getSourceTime();
    boolean hasSource = source != null && source.isNotNull() && source.isValid();
    long at;
    if (hasSource) {
      long ticks = source.getUtcTime();
      if (ticks <= lastSourceTicks) {
        boolean recovery = st == ReadingStatus.OK && status != null && status != ReadingStatus.OK;
        if (!recovery) {
          return null;
        }
        at = nowMillis;
      } else {
        lastSourceTicks = ticks;
        at = source.getJavaTime();
      }
    } else {
      at = nowMillis;
    }
    return deliver(new WeightReading(laneId, Math.max(at, lastAtMillis), grams, st));
  }

  /** A DISCONNECTED reading when the lane was not already disconnected, else null. */
  WeightReading disconnected(long nowMillis) {
    if (status == ReadingStatus.DISCONNECTED) {
      return null;
    }
    return deliver(new WeightReading(laneId, Math.max(nowMillis, lastAtMillis), Double.NaN, ReadingStatus.DISCONNECTED));
  }

  /** An INVALID reading for a lane the server cannot serve (unknown node, no mapping), once. */
  WeightReading invalid(long nowMillis) {
    if (status == ReadingStatus.INVALID) {
      return null;
    }
    return deliver(new WeightReading(laneId, Math.max(nowMillis, lastAtMillis), Double.NaN, ReadingStatus.INVALID));
  }

  private WeightReading deliver(WeightReading r) {
    status = r.status();
    lastAtMillis = r.atMillis();
    return r;
  }

  /**
   * Good and numeric: OK. Bad with a communication meaning (the server cannot reach the scale):
   * DISCONNECTED. Anything else bad, uncertain, non-numeric: INVALID. NaN/infinite are checked by
   * the caller after scaling.
   */
  static ReadingStatus statusOf(DataValue value) {
    StatusCode sc = value.getStatusCode();
    if (sc != null && sc.isBad()) {
      return isCommunication(sc) ? ReadingStatus.DISCONNECTED : ReadingStatus.INVALID;
    }
    if (sc != null && sc.isUncertain()) {
      return ReadingStatus.INVALID;
    }
    Variant v = value.getValue();
    Object o = v == null ? null : v.getValue();
    if (!(o instanceof Number)) {
      return ReadingStatus.INVALID;
    }
    return ReadingStatus.OK;
  }

  static boolean isCommunication(StatusCode sc) {
    long code = sc.getValue() & 0xFFFF0000L;
    return code == StatusCodes.Bad_NoCommunication
        || code == StatusCodes.Bad_NotConnected
        || code == StatusCodes.Bad_CommunicationError
        || code == StatusCodes.Bad_Timeout
        || code == StatusCodes.Bad_ServerNotConnected
        || code == StatusCodes.Bad_ConnectionClosed
        || code == StatusCodes.Bad_WaitingForInitialData
        || code == StatusCodes.Bad_DeviceFailure;
  }
}
