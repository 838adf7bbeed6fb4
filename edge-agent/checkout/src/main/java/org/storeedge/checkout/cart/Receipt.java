package org.storeedge.checkout.cart;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.storeedge.core.json.Json;

/**
 * A closed shopping session: what the shopper is charged for. The JSON form is the public contract
 * on the {@code receipts} topic (see the README); {@code receiptId} is stable across re-sends and
 * is the consumer's idempotency key.
 *
 * @param total minor units
 * @param amends for an amendment, the receiptId it corrects; else null
 */
public record Receipt(
    String receiptId,
    String storeId,
    String gatewayId,
    String customerToken,
    Instant enteredAt,
    Instant exitedAt,
    List<ReceiptLine> items,
    long total,
    String currency,
    boolean needsReview,
    List<ReviewReason> reviewReasons,
    String amends) implements Json.JsonValue {

  public Receipt {
    items = List.copyOf(items);
    reviewReasons = List.copyOf(reviewReasons);
  }

  public String toJson() {
    return Json.write(this);
  }

  @Override
  public void writeJson(StringBuilder out) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", amends == null ? "receipt" : "receipt-amendment");
    m.put("receiptId", receiptId);
    if (amends != null) {
      m.put("amends", amends);
    }
    m.put("storeId", storeId);
    m.put("gatewayId", gatewayId);
    m.put("customerToken", customerToken);
    m.put("enteredAt", enteredAt.toString());
    m.put("exitedAt", exitedAt.toString());
    m.put("items", items);
    m.put("total", total);
    m.put("currency", currency);
    m.put("needsReview", needsReview);
    m.put("reviewReasons", reviewReasons);
    Json.write(out, m);
  }
}
