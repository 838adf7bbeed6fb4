package org.storeedge.vision;

/**
 * A camera that stopped delivering frames ({@code STALLED}, with how many reconnects were asked
 * so far) or delivers again ({@code RECOVERED}).
 *
 * @param lastFrameMillis scheduler time the watchdog last saw a new frame, epoch ms
 * @param atMillis scheduler time of this report, epoch ms
 */
public record CameraFault(String cameraId, Status status, long lastFrameMillis, long atMillis, int reconnectAttempts) {

  public enum Status {
    STALLED,
    RECOVERED
  }
}
