package org.storeedge.runtime;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses {@code 90}, {@code 90s}, {@code 2m}, {@code 1h}, {@code 500ms} or ISO-8601 {@code PT1M}. */
final class Durations implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern P = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    String v = value.trim();
    if (v.startsWith("P") || v.startsWith("p")) {
      return Duration.parse(v.toUpperCase());
    }
    Matcher m = P.matcher(v);
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (examples: 60s, 2m, 1h, 500ms)");
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis = switch (unit) {
      case "ms" -> n;
      case "m" -> n * 60_000;
      case "h" -> n * 3_600_000;
      default -> n * 1000;
    };
    return Duration.ofMillis(Math.round(millis));
  }
}
