package org.storeedge.checkout.cart;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.storeedge.core.json.Json;

/**
 * One line of a receipt.
 *
 * @param unitPrice minor units
 * @param lineTotal minor units, {@code qty * unitPrice}
 * @param confidence 0..1, how sure the agent is that this line is right (the least confident of
 *     its movements)
 * @param evidence the shelf movements that made the line, in the order they happened
 */
public record ReceiptLine(String sku, String name, int qty, long unitPrice, long lineTotal, double confidence,
    List<LineEvidence> evidence) implements Json.JsonValue {

  public ReceiptLine {
    evidence = List.copyOf(evidence);
  }

  /** A line with no movements on record (made by hand, or in a test). */
  public ReceiptLine(String sku, String name, int qty, long unitPrice, long lineTotal, double confidence) {
    this(sku, name, qty, unitPrice, lineTotal, confidence, List.of());
  }

  @Override
  public void writeJson(StringBuilder out) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sku", sku);
    m.put("name", name);
    m.put("qty", qty);
    m.put("unitPrice", unitPrice);
    m.put("lineTotal", lineTotal);
    m.put("confidence", Json.round(confidence, 4));
    m.put("evidence", evidence);
    Json.write(out, m);
  }
}
