package org.storeedge.runtime.command;

import java.util.List;

/**
 * A downlink command refused or undone. {@code reason} is a short stable code counted per value
 * (oversized, malformed, unsigned, unknown-key, bad-signature, replayed, invalid, busy,
 * rolled-back, unknown-camera, incomplete, disk-full, failed); {@code problems} lists every detail (e.g. each config problem with its
 * location). Its {@link #toString} is what the command reply's {@code error} field carries.
 */
public final class CommandRejected extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reason;
  private final List<String> problems;

  public CommandRejected(String reason, String message) {
    this(reason, message, List.of());
  }

  public CommandRejected(String reason, String message, List<String> problems) {
    super(message);
    this.reason = reason;
    this.problems = List.copyOf(problems);
  }

  public String reason() {
    return reason;
  }

  public List<String> problems() {
    return problems;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("rejected (").append(reason).append("): ").append(getMessage());
    for (String p : problems) {
      b.append('\n').append(p);
    }
    return b.toString();
  }
}
