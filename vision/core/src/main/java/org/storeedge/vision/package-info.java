/**
 * Camera, detector and frame contracts, and the per-camera pipeline.
 *
 * <pre>
 *  FrameSource ─capture thread─► LatestFrameSlot ─"vision-CAM" thread─► rate gate (boosted / idle fps)
 *                                 (latest wins, drops counted)             │
 *                                                                          ▼
 *  VisionListener ◄─ InteractionDetector ◄─ ByteTracker ◄─ persons ◄─ Detector.detect
 *   observations,     foot point → floor,    ids, Kalman,   label and
 *   zone interactions lane zones, tokens     two stages     min score
 *
 *  watchdog (scheduler thread): no new frame for stallAfter → CameraFault, FrameSource.reconnect()
 * </pre>
 *
 * Natives (ONNX Runtime, OpenCV) live in other modules that implement {@link
 * org.storeedge.vision.Detector} and {@link org.storeedge.vision.FrameSource}.
 */
package org.storeedge.vision;
