package org.storeedge.simulator.camera;

import org.storeedge.vision.BoundingBox;

/**
 * Where one shopper appears in a rendered frame.
 *
 * @param id the shopper figure's id
 * @param box the figure's box in frame pixels, clipped to the image (the box
 *     {@link org.storeedge.vision.geometry.SimulatedCamera#standingBox} gives for its size)
 * @param floorX true floor position, metres
 * @param floorY true floor position, metres
 * @param visibleFraction share of the figure's in-image pixels not hidden by shelves or nearer
 *     shoppers, 0..1
 * @param inImageFraction share of the unclipped box inside the image, 0..1
 * @param clearlyVisible the figure counts as a person to detect: at least half visible, at least
 *     60% inside the image and at least 8% of the image height tall. Training labels and
 *     precision/recall use these; the others are neither required nor counted as false positives.
 */
public record PersonTruth(String id, BoundingBox box, double floorX, double floorY, double visibleFraction,
    double inImageFraction, boolean clearlyVisible) {}
