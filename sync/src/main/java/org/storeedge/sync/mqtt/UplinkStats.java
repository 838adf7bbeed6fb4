package org.storeedge.sync.mqtt;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.storeedge.core.outbox.Stream;
import org.storeedge.sync.outbox.OutboxAlarm;

/**
 * A snapshot of uplink counters since start, with the outbox health it forwards.
 *
 * <p>"Connected but not forwarding" shows as {@code connected} with a growing {@code
 * stalledMillis} and {@code oldestPendingAgeMillis}.
 *
 * @param broker URI of the current connection, empty when offline
 * @param sent entries published (re-sends included; an entry in a batch counts once)
 * @param acknowledged entries the broker acknowledged with a success PUBACK
 * @param retried entries that were sent and came back to pending unacknowledged
 * @param rejected PUBACKs with a failure reason code (entries kept and retried later)
 * @param connectionLosses established connections that were lost
 * @param offlineMillis time not connected since start, scheduler milliseconds
 * @param inFlight MQTT publishes of entries sent and not yet acknowledged
 * @param window current in-flight limit (min of configured and broker Receive Maximum)
 * @param commandsHandled downlink commands answered with a handler's reply
 * @param commandErrors downlink commands answered with an error (unknown, failed, oversized, busy)
 * @param publishes MQTT messages that carried entries (a batch is one)
 * @param batches of those, {@code {"batch":[...]}} envelopes
 * @param payloadBytes bytes of entry publishes as sent (after compression)
 * @param inFlightEntries entries inside the in-flight publishes
 * @param stalledMillis while connected with entries pending: time since the last acknowledgement
 *     (or since connecting); 0 otherwise. Grows when the link is up but nothing gets through
 * @param pending entries not yet acknowledged, per stream
 * @param oldestPendingAgeMillis age of the oldest entry not yet acknowledged, per stream with any
 * @param dropped entries lost to outbox policies (evicted, expired, refused for cap or disk), per
 *     stream
 * @param freeDiskBytes usable bytes on the outbox's file system, -1 unknown
 * @param alarms active outbox alarms
 */
public record UplinkStats(boolean connected, String broker, long sent, long acknowledged,
    long retried, long rejected, long connects, long connectionLosses, long offlineMillis,
    int inFlight, int window, long commandsHandled, long commandErrors, long publishes, long batches,
    long payloadBytes, int inFlightEntries, long stalledMillis, Map<Stream, Long> pending,
    Map<Stream, Long> oldestPendingAgeMillis, Map<Stream, Long> dropped, long freeDiskBytes,
    List<OutboxAlarm> alarms) {

  /** Connected, entries pending, and no acknowledgement for longer than {@code threshold}. */
  public boolean notForwarding(Duration threshold) {
    return connected && stalledMillis > threshold.toMillis();
  }

  public long offlineSeconds() {
    return offlineMillis / 1000;
  }
}
