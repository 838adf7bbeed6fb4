package org.storeedge.sync.mqtt;

/**
 * A snapshot of uplink counters since start.
 *
 * @param broker URI of the current connection, empty when offline
 * @param sent entries published (re-sends included)
 * @param acknowledged entries the broker acknowledged with a success PUBACK
 * @param retried entries that were sent and came back to pending unacknowledged
 * @param rejected PUBACKs with a failure reason code (entry kept and retried later)
 * @param connectionLosses established connections that were lost
 * @param offlineMillis time not connected since start, scheduler milliseconds
 * @param inFlight entries sent and not yet acknowledged
 * @param window current in-flight limit (min of configured and broker Receive Maximum)
 * @param commandsHandled downlink commands answered with a handler's reply
 * @param commandErrors downlink commands answered with an error (unknown, failed, oversized, busy)
 */
public record UplinkStats(boolean connected, String broker, long sent, long acknowledged,
    long retried, long rejected, long connects, long connectionLosses, long offlineMillis,
    int inFlight, int window, long commandsHandled, long commandErrors) {}
