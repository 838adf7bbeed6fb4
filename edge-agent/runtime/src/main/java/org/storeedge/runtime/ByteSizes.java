package org.storeedge.runtime;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses a size in bytes: {@code 131072}, {@code 96k} (96 x 1024) or {@code 1m} (1024 x 1024). */
final class ByteSizes implements CommandLine.ITypeConverter<Integer> {
  private static final Pattern P = Pattern.compile("(\\d{1,10})\\s*([km]?)b?");

  @Override
  public Integer convert(String value) {
    Matcher m = P.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a size in bytes (examples: 131072, 96k, 1m)");
    }
    long n = Long.parseLong(m.group(1)) * switch (m.group(2)) {
      case "k" -> 1024L;
      case "m" -> 1024L * 1024;
      default -> 1L;
    };
    if (n > Integer.MAX_VALUE) {
      throw new CommandLine.TypeConversionException("'" + value + "' is too large");
    }
    return (int) n;
  }
}
