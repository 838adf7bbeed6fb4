package org.storeedge.checkout.cart;

import java.util.LinkedHashMap;
import java.util.Map;
import org.storeedge.core.json.Json;

/**
 * One line of a receipt.
 *
 * @param unitPrice minor units
 * @param lineTotal minor units, {@code qty * unitPrice}
 * @param confidence 0..1, how sure the agent is that this line is right
 */
public record ReceiptLine(String sku, String name, int qty, long unitPrice, long lineTotal, double confidence)
    implements Json.JsonValue {
  @Override
  public void writeJson(StringBuilder out) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sku", sku);
    m.put("name", name);
    m.put("qty", qty);
    m.put("unitPrice", unitPrice);
    m.put("lineTotal", lineTotal);
    m.put("confidence", Json.round(confidence, 4));
    Json.write(out, m);
  }
}
