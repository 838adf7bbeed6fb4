package org.storeedge.checkout.cart;

import java.util.LinkedHashMap;
import java.util.Map;
import org.storeedge.core.json.Json;

/**
 * Why a receipt needs a human look, machine-readable, with the evidence a reviewer needs.
 *
 * @param code stable identifier, e.g. {@code low-confidence-line}, {@code ambiguous-shopper}
 * @param evidence event id, time, lanes, weight change, candidates... (JSON-able values)
 */
public record ReviewReason(String code, String message, Map<String, Object> evidence) implements Json.JsonValue {
  public ReviewReason {
    evidence = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
  }

  @Override
  public void writeJson(StringBuilder out) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("code", code);
    m.put("message", message);
    m.put("evidence", evidence);
    Json.write(out, m);
  }
}
