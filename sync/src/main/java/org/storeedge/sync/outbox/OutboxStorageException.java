package org.storeedge.sync.outbox;

/**
 * Writing to the outbox failed (disk full, I/O error, closed outbox). The append it was thrown
 * from is not stored.
 */
public final class OutboxStorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OutboxStorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
