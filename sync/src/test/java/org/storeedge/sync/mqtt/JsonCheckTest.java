package org.storeedge.sync.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonCheckTest {

  private static boolean valid(String s) {
    return JsonCheck.isValid(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void acceptsJsonAndRejectsNearMisses() {
    for (String ok : new String[] {"{}", "[]", " {\"a\":[1,-2.5e3,true,false,null,\"x\\u00e9\\n\"]} ", "\"s\"", "0",
        "{\"nested\":{\"k\":[{},[],{\"z\":\"é\"}]}}"}) {
      assertThat(valid(ok)).as(ok).isTrue();
    }
    for (String bad : new String[] {"", "{", "{\"a\"}", "{\"a\":}", "[1,]", "{\"a\":1,}", "01", "1.", "-", "\"\\x\"",
        "tru", "{} {}", "[1 2]", "{'a':1}", "\"tab\tinside\"", "{\"a\":1]", "[}"}) {
      assertThat(valid(bad)).as(bad).isFalse();
    }
  }

  @Test
  void seededRandomDocumentsAreValidAndTheirTruncationsAreNot() {
    Random r = new Random(42);
    for (int i = 0; i < 2000; i++) {
      StringBuilder b = new StringBuilder();
      value(r, b, 0, true);
      String doc = b.toString();
      assertThat(valid(doc)).as(doc).isTrue();
      // cutting a container short always breaks it
      int cut = r.nextInt(doc.length());
      assertThat(valid(doc.substring(0, cut))).as("%s cut at %d", doc, cut).isFalse();
    }
  }

  /** Appends a random JSON value; the top level is always an object or array. */
  private static void value(Random r, StringBuilder b, int depth, boolean container) {
    int kind = container ? r.nextInt(2) : r.nextInt(depth > 4 ? 5 : 7);
    switch (kind) {
      case 0, 5 -> {
        b.append('{');
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            b.append(',');
          }
          b.append("\"k").append(i).append("\" : ");
          value(r, b, depth + 1, false);
        }
        b.append('}');
      }
      case 1, 6 -> {
        b.append('[');
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            b.append(", ");
          }
          value(r, b, depth + 1, false);
        }
        b.append(']');
      }
      case 2 -> {
        b.append('"');
        String[] pieces = {"s", "\\\"", "é", "\\u0041", "\\n", " "};
        for (int i = r.nextInt(5); i > 0; i--) {
          b.append(pieces[r.nextInt(pieces.length)]);
        }
        b.append('"');
      }
      case 3 -> b.append(r.nextInt(2000) - 1000).append(r.nextBoolean() ? ".25e-3" : "");
      default -> b.append(new String[] {"true", "false", "null"}[r.nextInt(3)]);
    }
  }
}
