/**
 * Simulated cameras: the simulator's store rendered from a camera pose, so the vision pipeline
 * runs on real pixels offline.
 *
 * <ul>
 *   <li>{@link org.storeedge.simulator.camera.SimulatedCameraRenderer}: one camera's frames (8-bit
 *       BGR {@link org.storeedge.vision.Frame}s) with the ground-truth person boxes
 *       ({@link org.storeedge.simulator.camera.RenderedFrame}); geometry from
 *       {@link org.storeedge.vision.geometry.SimulatedCamera}, so its calibration is exact.
 *   <li>{@link org.storeedge.simulator.camera.StoreScene}: who stands where at an instant;
 *       {@link org.storeedge.simulator.camera.SimulatedStoreScene} reads a
 *       {@link org.storeedge.simulator.SimulatedStore}'s shoppers.
 *   <li>{@link org.storeedge.simulator.camera.SimulatedCameraSource}: a
 *       {@link org.storeedge.vision.FrameSource} rendering at a frame rate on the injected
 *       scheduler (virtual time).
 *   <li>{@link org.storeedge.simulator.camera.CameraPoses}, {@link org.storeedge.simulator.camera.StoreLayout}:
 *       poses and the static store drawn from the config.
 *   <li>{@link org.storeedge.simulator.camera.DatasetExporter}: PPM images and YOLO labels for
 *       training the {@code sim-person} model ({@code vision/models/sim-person}).
 * </ul>
 */
package org.storeedge.simulator.camera;
