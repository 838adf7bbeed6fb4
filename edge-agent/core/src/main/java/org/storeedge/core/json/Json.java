package org.storeedge.core.json;

import java.util.Collection;
import java.util.Map;

/**
 * A minimal JSON writer for the agent's own messages (receipts, events, status), so the core and
 * checkout need no JSON library. Values: null, Boolean, Number, CharSequence, Map (keys as
 * strings, insertion order kept), Collection, and {@link JsonValue}.
 */
public final class Json {
  private Json() {}

  /** A value that writes itself. */
  public interface JsonValue {
    void writeJson(StringBuilder out);
  }

  public static String write(Object value) {
    StringBuilder sb = new StringBuilder(256);
    write(sb, value);
    return sb.toString();
  }

  public static void write(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof JsonValue v) {
      v.writeJson(out);
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof Double d) {
      writeDouble(out, d);
    } else if (value instanceof Float f) {
      writeDouble(out, f.doubleValue());
    } else if (value instanceof Number n) {
      out.append(n.toString());
    } else if (value instanceof CharSequence s) {
      writeString(out, s);
    } else if (value instanceof Map<?, ?> m) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        writeString(out, String.valueOf(e.getKey()));
        out.append(':');
        write(out, e.getValue());
      }
      out.append('}');
    } else if (value instanceof Collection<?> c) {
      out.append('[');
      boolean first = true;
      for (Object o : c) {
        if (!first) {
          out.append(',');
        }
        first = false;
        write(out, o);
      }
      out.append(']');
    } else if (value instanceof Enum<?> e) {
      writeString(out, e.name());
    } else {
      writeString(out, value.toString());
    }
  }

  private static void writeDouble(StringBuilder out, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      out.append("null");
    } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      out.append((long) d);
    } else {
      out.append(d);
    }
  }

  public static void writeString(StringBuilder out, CharSequence s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Rounds to {@code decimals} places, for readable grams and confidences in messages. */
  public static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }
}
