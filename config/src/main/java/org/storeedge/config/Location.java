package org.storeedge.config;

/** Where a value was written: 1-based line and column in {@code file}. */
public record Location(String file, int line, int column) {
  public static Location unknown(String file) {
    return new Location(file, 0, 0);
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
