package org.storeedge.sync.mqtt;

/**
 * Whether bytes are one complete JSON value (RFC 8259; UTF-8 is passed through unchecked inside
 * strings). Used before embedding a payload verbatim in a batch envelope, so the envelope is
 * always valid JSON. Iterative, allocation-free; nesting deeper than 256 counts as invalid.
 */
final class JsonCheck {
  private static final int MAX_DEPTH = 256;

  private JsonCheck() {}

  static boolean isValid(byte[] b) {
    int[] pos = {skipWs(b, 0)};
    boolean[] stack = new boolean[MAX_DEPTH]; // true = object
    int depth = 0;
    // states: expect a value; after a value
    while (true) {
      // ---- a value at pos ----
      int i = pos[0];
      if (i >= b.length) {
        return false;
      }
      byte c = b[i];
      if (c == '{' || c == '[') {
        if (depth == MAX_DEPTH) {
          return false;
        }
        boolean obj = c == '{';
        stack[depth++] = obj;
        i = skipWs(b, i + 1);
        if (i < b.length && b[i] == (obj ? '}' : ']')) {
          depth--;
          pos[0] = i + 1;
        } else if (obj) {
          i = objectKey(b, i);
          if (i < 0) {
            return false;
          }
          pos[0] = i;
          continue;
        } else {
          pos[0] = i;
          continue;
        }
      } else {
        i = scalar(b, i);
        if (i < 0) {
          return false;
        }
        pos[0] = i;
      }
      // ---- after a value: close containers or go on with the next element ----
      while (true) {
        i = skipWs(b, pos[0]);
        if (depth == 0) {
          return i == b.length;
        }
        boolean obj = stack[depth - 1];
        if (i >= b.length) {
          return false;
        }
        if (b[i] == ',') {
          i = skipWs(b, i + 1);
          if (obj) {
            i = objectKey(b, i);
            if (i < 0) {
              return false;
            }
          }
          pos[0] = i;
          break;
        }
        if (b[i] == (obj ? '}' : ']')) {
          depth--;
          pos[0] = i + 1;
          continue;
        }
        return false;
      }
    }
  }

  /** Parses {@code "key" :} at i; returns the index of the value (whitespace skipped) or -1. */
  private static int objectKey(byte[] b, int i) {
    if (i >= b.length || b[i] != '"') {
      return -1;
    }
    i = string(b, i);
    if (i < 0) {
      return -1;
    }
    i = skipWs(b, i);
    if (i >= b.length || b[i] != ':') {
      return -1;
    }
    return skipWs(b, i + 1);
  }

  private static int scalar(byte[] b, int i) {
    byte c = b[i];
    if (c == '"') {
      return string(b, i);
    }
    if (c == 't') {
      return literal(b, i, "true");
    }
    if (c == 'f') {
      return literal(b, i, "false");
    }
    if (c == 'n') {
      return literal(b, i, "null");
    }
    return number(b, i);
  }

  private static int literal(byte[] b, int i, String word) {
    if (i + word.length() > b.length) {
      return -1;
    }
    for (int k = 0; k < word.length(); k++) {
      if (b[i + k] != word.charAt(k)) {
        return -1;
      }
    }
    return i + word.length();
  }

  private static int string(byte[] b, int i) {
    i++; // opening quote
    while (i < b.length) {
      int c = b[i] & 0xff;
      if (c == '"') {
        return i + 1;
      }
      if (c < 0x20) {
        return -1;
      }
      if (c == '\\') {
        if (i + 1 >= b.length) {
          return -1;
        }
        byte e = b[i + 1];
        if (e == 'u') {
          if (i + 6 > b.length) {
            return -1;
          }
          for (int k = 2; k < 6; k++) {
            if (Character.digit(b[i + k], 16) < 0) {
              return -1;
            }
          }
          i += 6;
          continue;
        }
        if ("\"\\/bfnrt".indexOf(e) < 0) {
          return -1;
        }
        i += 2;
        continue;
      }
      i++;
    }
    return -1;
  }

  private static int number(byte[] b, int i) {
    int start = i;
    if (i < b.length && b[i] == '-') {
      i++;
    }
    if (i >= b.length) {
      return -1;
    }
    if (b[i] == '0') {
      i++;
    } else if (b[i] >= '1' && b[i] <= '9') {
      while (i < b.length && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
    } else {
      return -1;
    }
    if (i < b.length && b[i] == '.') {
      i++;
      int d = i;
      while (i < b.length && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      if (i == d) {
        return -1;
      }
    }
    if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      if (i < b.length && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      int d = i;
      while (i < b.length && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      if (i == d) {
        return -1;
      }
    }
    return i > start ? i : -1;
  }

  private static int skipWs(byte[] b, int i) {
    while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
      i++;
    }
    return i;
  }
}
