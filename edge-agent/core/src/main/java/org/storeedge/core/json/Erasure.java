package org.storeedge.core.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes an erased customer's token out of data that belongs to someone else (another shopper's
 * receipt naming them as a candidate, an alert about a shelf event they stood at): every whole
 * occurrence of the token in a string becomes {@link #PLACEHOLDER}, so the reviewer still sees that
 * another shopper was there, not who. Data that is the customer's own is deleted by its owner, not
 * here.
 *
 * <p>A whole occurrence is one not run into letters, digits, {@code -} or {@code _} on either side:
 * erasing {@code cust-7} leaves {@code cust-70} alone, and finds {@code cust-7} in "charged to
 * cust-7 rather than ...".
 */
public final class Erasure {
  private Erasure() {}

  /** What an erased token is replaced with. */
  public static final String PLACEHOLDER = "erased-customer";

  /** {@code text} with every whole occurrence of {@code token} replaced; the same instance when there is none. */
  public static String inText(String text, String token) {
    if (text == null || token == null || token.isEmpty()) {
      return text;
    }
    int i = text.indexOf(token);
    if (i < 0) {
      return text;
    }
    StringBuilder out = null;
    int copied = 0;
    for (; i >= 0; i = text.indexOf(token, i + 1)) {
      int end = i + token.length();
      if (i < copied || !boundary(text, i - 1) || !boundary(text, end)) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length() + PLACEHOLDER.length());
      }
      out.append(text, copied, i).append(PLACEHOLDER);
      copied = end;
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copied, text.length()).toString();
  }

  private static boolean boundary(String text, int at) {
    if (at < 0 || at >= text.length()) {
      return true;
    }
    char c = text.charAt(at);
    return !(Character.isLetterOrDigit(c) || c == '-' || c == '_');
  }

  /**
   * A copy of a JSON-able value (maps, collections, strings; anything else is kept as it is) with
   * the token erased from every string, map keys included; the same instance when nothing changed.
   */
  public static Object inValue(Object value, String token) {
    if (value instanceof CharSequence s) {
      String t = s.toString();
      String e = inText(t, token);
      return e == t ? value : e;
    }
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      boolean changed = false;
      for (Map.Entry<?, ?> en : m.entrySet()) {
        Object k = inValue(en.getKey(), token);
        Object v = inValue(en.getValue(), token);
        changed |= k != en.getKey() || v != en.getValue();
        copy.put(k, v);
      }
      return changed ? copy : value;
    }
    if (value instanceof Collection<?> c) {
      List<Object> copy = new ArrayList<>(c.size());
      boolean changed = false;
      for (Object o : c) {
        Object e = inValue(o, token);
        changed |= e != o;
        copy.add(e);
      }
      return changed ? copy : value;
    }
    return value;
  }

  /**
   * JSON text (UTF-8) with the token erased from every string literal, keys included; numbers,
   * structure and the other strings are kept byte for byte. The same array when nothing changed.
   */
  public static byte[] inJson(byte[] utf8, String token) {
    String json = new String(utf8, StandardCharsets.UTF_8);
    StringBuilder out = null;
    int copied = 0;
    for (int i = 0; i < json.length(); i++) {
      if (json.charAt(i) != '"') {
        continue;
      }
      int end = stringEnd(json, i);
      String value = decode(json, i, end);
      String erased = inText(value, token);
      if (erased != value) {
        if (out == null) {
          out = new StringBuilder(json.length() + PLACEHOLDER.length());
        }
        out.append(json, copied, i);
        Json.writeString(out, erased);
        copied = end + 1;
      }
      i = end;
    }
    if (out == null) {
      return utf8;
    }
    return out.append(json, copied, json.length()).toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The string value of {@code key} in the outermost object of JSON text (UTF-8), or null when it
   * has none or the value is not a string. Keys of nested objects are not looked at.
   */
  public static String topLevelString(byte[] utf8, String key) {
    String json = new String(utf8, StandardCharsets.UTF_8);
    int depth = 0;
    boolean keyNext = false;
    String lastKey = null;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      switch (c) {
        case '{', '[' -> {
          depth++;
          keyNext = depth == 1 && c == '{';
        }
        case '}', ']' -> depth--;
        case ',' -> keyNext = depth == 1;
        case '"' -> {
          int end = stringEnd(json, i);
          if (depth == 1) {
            String s = decode(json, i, end);
            if (keyNext) {
              lastKey = s;
              keyNext = false;
            } else if (key.equals(lastKey)) {
              return s;
            }
          }
          i = end;
        }
        default -> {
          // other structure, numbers, literals, white space
        }
      }
    }
    return null;
  }

  /** Index of the quote closing the string literal opening at {@code open} (the end of text if none). */
  private static int stringEnd(String json, int open) {
    for (int j = open + 1; j < json.length(); j++) {
      char c = json.charAt(j);
      if (c == '\\') {
        j++;
      } else if (c == '"') {
        return j;
      }
    }
    return json.length() - 1;
  }

  private static int hex(String four) {
    try {
      return Integer.parseInt(four, 16);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String decode(String json, int open, int close) {
    StringBuilder s = new StringBuilder(Math.max(0, close - open));
    for (int j = open + 1; j < close; j++) {
      char c = json.charAt(j);
      if (c != '\\' || j + 1 >= close) {
        s.append(c);
        continue;
      }
      char e = json.charAt(++j);
      switch (e) {
        case 'n' -> s.append('\n');
        case 'r' -> s.append('\r');
        case 't' -> s.append('\t');
        case 'b' -> s.append('\b');
        case 'f' -> s.append('\f');
        case 'u' -> {
          int cp = j + 4 < close ? hex(json.substring(j + 1, j + 5)) : -1;
          if (cp >= 0) {
            s.append((char) cp);
            j += 4;
          } else {
            s.append('\\').append(e); // not an escape: kept as written
          }
        }
        default -> s.append(e); // \" \\ \/
      }
    }
    return s.toString();
  }
}
