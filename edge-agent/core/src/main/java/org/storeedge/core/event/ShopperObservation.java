package org.storeedge.core.event;

/**
 * Where a tracked shopper is on the store floor at one instant (from vision or the simulator).
 *
 * @param trackId tracker id, stable while the shopper is tracked
 * @param customerToken the token bound to this track at the gate, or null when not (yet) bound
 * @param x metres, store frame
 * @param y metres, store frame
 * @param atMillis capture time, epoch milliseconds
 */
public record ShopperObservation(String trackId, String customerToken, double x, double y, long atMillis) {}
