package org.storeedge.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErasureTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void onlyWholeOccurrencesOfTheTokenAreReplaced() {
    assertThat(Erasure.inText("lane a1 charged to cust-7 rather than cust-70 or xcust-7", "cust-7"))
        .isEqualTo("lane a1 charged to erased-customer rather than cust-70 or xcust-7");
    assertThat(Erasure.inText("cust-7", "cust-7")).isEqualTo("erased-customer");
    assertThat(Erasure.inText("cust-7's cart; cust-7.", "cust-7")).isEqualTo("erased-customer's cart; erased-customer.");
    String none = "cust-70 and cust-8";
    assertThat(Erasure.inText(none, "cust-7")).isSameAs(none);
  }

  @Test
  void valuesAreCopiedWithTheTokenErasedAndKeptWhenItIsAbsent() {
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("laneId", "a1");
    ev.put("deltaGrams", -355.0);
    ev.put("shoppers", List.of(Map.of("customerToken", "cust-7", "probability", 0.4),
        Map.of("customerToken", "cust-8", "probability", 0.6)));
    @SuppressWarnings("unchecked")
    Map<String, Object> erased = (Map<String, Object>) Erasure.inValue(ev, "cust-7");
    assertThat(erased).isNotSameAs(ev);
    assertThat(Json.write(erased)).doesNotContain("\"cust-7\"").contains("\"erased-customer\"", "\"cust-8\"", "-355");
    assertThat(ev.get("shoppers").toString()).contains("cust-7"); // the original is untouched
    assertThat(Erasure.inValue(ev, "cust-9")).isSameAs(ev);
  }

  @Test
  void jsonTextKeepsEverythingButTheTokenByteForByte() {
    String json = "{\"type\":\"receipt\",\"customerToken\":\"cust-8\",\"total\":1.25,"
        + "\"items\":[{\"evidence\":[{\"others\":[{\"customerToken\":\"cust-7\",\"probability\":0.12}]}]}],"
        + "\"reviewReasons\":[{\"message\":\"lane a1 charged to cust-7 or \\\"cust-8\\\"\\n\"}]}";
    String out = new String(Erasure.inJson(utf8(json), "cust-7"), StandardCharsets.UTF_8);
    assertThat(out).isEqualTo(json.replace("\"customerToken\":\"cust-7\"", "\"customerToken\":\"erased-customer\"")
        .replace("charged to cust-7 or", "charged to erased-customer or"));
    byte[] none = utf8("{\"customerToken\":\"cust-70\",\"n\":7}");
    assertThat(Erasure.inJson(none, "cust-7")).isSameAs(none);
  }

  @Test
  void aTokenWrittenWithEscapesIsFoundAndWrittenBackEscaped() {
    String token = "a\"b/ü";
    StringBuilder lit = new StringBuilder();
    Json.writeString(lit, token);
    byte[] json = utf8("{\"who\":" + lit + ",\"n\":\"\\u0041\"}");
    assertThat(new String(Erasure.inJson(json, token), StandardCharsets.UTF_8))
        .isEqualTo("{\"who\":\"erased-customer\",\"n\":\"\\u0041\"}");
  }

  @Test
  void theTopLevelKeyIsReadAndNestedKeysOfTheSameNameAreNot() {
    byte[] other = utf8("{\"type\":\"receipt\",\"items\":[{\"customerToken\":\"cust-7\"}],\"customerToken\":\"cust-8\"}");
    assertThat(Erasure.topLevelString(other, "customerToken")).isEqualTo("cust-8");
    byte[] nestedOnly = utf8("{\"type\":\"unexplained-weight-change\",\"evidence\":{\"shoppers\":[{\"customerToken\":\"cust-7\"}]}}");
    assertThat(Erasure.topLevelString(nestedOnly, "customerToken")).isNull();
    byte[] notAString = utf8("{\"customerToken\":null,\"x\":\"customerToken\"}");
    assertThat(Erasure.topLevelString(notAString, "customerToken")).isNull();
    assertThat(Erasure.topLevelString(utf8("[\"customerToken\",\"cust-7\"]"), "customerToken")).isNull();
  }
}
