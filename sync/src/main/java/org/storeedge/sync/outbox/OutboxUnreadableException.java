package org.storeedge.sync.outbox;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The outbox database exists but cannot be used (not a SQLite file, corrupt, or from a newer
 * schema). The file is left exactly as it was found.
 */
public final class OutboxUnreadableException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;

  public OutboxUnreadableException(Path file, String reason, Throwable cause) {
    super("outbox database " + file + " is unreadable: " + reason
        + ". It was left untouched; move it aside (it may hold undelivered receipts) to start with an empty outbox.", cause);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
