package org.storeedge.runtime.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A signed command ({@code config-update}, {@code planogram-update}, {@code debug-snapshot},
 * {@code model-update}):
 *
 * <pre>
 * {"body": base64(new file), "signature": base64(Ed25519 signature), "keyId": "16 hex digits",
 *  "issuedAt": "2026-11-25T10:00:00Z", "sequence": 42}
 * </pre>
 *
 * <p>The signature covers the body <em>and</em> the fields that decide whether it applies, so none
 * of them can be changed without the key: it is over the UTF-8 bytes of
 * {@code "storeedge-signed-update/v1\n" + kind + "\n" + keyId + "\n" + sequence + "\n" + issuedAt + "\n"}
 * followed by the decoded body bytes, where {@code kind} is {@code config}, {@code planogram},
 * {@code debug-snapshot} or {@code model} (a {@link ModelPackage} archive, up to {@link
 * #MAX_MODEL_BODY_BYTES}, or the manifest of one sent in pieces, {@link ModelTransfers.Manifest})
 * and {@code issuedAt} is the exact string of the payload. {@link #sign} produces it.
 *
 * @param body the decoded new file
 */
public record SignedUpdate(String kind, byte[] body, String keyId, String issuedAt, long sequence) {
  /** Largest accepted body, bytes (decoded), of every kind but {@code model}. */
  public static final int MAX_BODY_BYTES = 1 << 20;
  /** Largest accepted command payload: a maximal body in base64 plus the envelope. */
  public static final int MAX_PAYLOAD_BYTES = payloadFor(MAX_BODY_BYTES);
  /** Largest accepted body of kind {@code model} (a model archive), bytes. */
  public static final int MAX_MODEL_BODY_BYTES = 24 << 20;
  /** Largest accepted {@code model-update} payload. */
  public static final int MAX_MODEL_PAYLOAD_BYTES = payloadFor(MAX_MODEL_BODY_BYTES);

  private static int payloadFor(int body) {
    return (body + 2) / 3 * 4 + 8 * 1024;
  }

  /** Largest accepted body of {@code kind}, bytes. */
  public static int maxBodyBytes(String kind) {
    return kind.equals("model") ? MAX_MODEL_BODY_BYTES : MAX_BODY_BYTES;
  }
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOMAIN = "storeedge-signed-update/v1\n";

  /**
   * Parses and verifies {@code payload} against the pinned keys. Does not check the sequence
   * (the caller holds the ledger).
   *
   * @throws CommandRejected oversized, malformed, unsigned, unknown-key or bad-signature
   */
  public static SignedUpdate verify(String kind, byte[] payload, TrustedKeys keys) throws CommandRejected {
    int maxBody = maxBodyBytes(kind);
    int maxPayload = payloadFor(maxBody);
    if (payload.length > maxPayload) {
      throw new CommandRejected("oversized", "payload is " + payload.length + " bytes (max " + maxPayload + ")");
    }
    JsonNode n;
    try {
      n = JSON.readTree(payload);
    } catch (IOException e) {
      throw new CommandRejected("malformed", "payload is not JSON: " + e.getMessage());
    }
    if (n == null || !n.isObject()) {
      throw new CommandRejected("malformed", "payload must be a JSON object with body, signature, keyId, issuedAt, sequence");
    }
    String sig = text(n, "signature");
    if (sig == null || sig.isBlank()) {
      throw new CommandRejected("unsigned", "no signature: updates must be signed with a pinned Ed25519 key");
    }
    String bodyText = text(n, "body");
    String keyId = text(n, "keyId");
    String issuedAt = text(n, "issuedAt");
    JsonNode seqNode = n.get("sequence");
    StringBuilder missing = new StringBuilder();
    if (bodyText == null) {
      missing.append(" body");
    }
    if (keyId == null || keyId.isBlank()) {
      missing.append(" keyId");
    }
    if (issuedAt == null) {
      missing.append(" issuedAt");
    }
    if (seqNode == null || !seqNode.canConvertToExactIntegral() || !seqNode.canConvertToLong() || seqNode.asLong() <= 0) {
      missing.append(" sequence(positive integer)");
    }
    if (missing.length() > 0) {
      throw new CommandRejected("malformed", "missing or invalid fields:" + missing);
    }
    try {
      Instant.parse(issuedAt);
    } catch (DateTimeParseException e) {
      throw new CommandRejected("malformed", "issuedAt is not an ISO-8601 instant (got: " + issuedAt + ")");
    }
    byte[] body;
    byte[] signature;
    try {
      body = Base64.getDecoder().decode(bodyText);
      signature = Base64.getDecoder().decode(sig);
    } catch (IllegalArgumentException e) {
      throw new CommandRejected("malformed", "body and signature must be base64: " + e.getMessage());
    }
    if (body.length > maxBody) {
      throw new CommandRejected("oversized", "body is " + body.length + " bytes (max " + maxBody + ")");
    }
    long sequence = seqNode.asLong();
    PublicKey key = keys.key(keyId).orElseThrow(() -> new CommandRejected("unknown-key",
        "keyId " + keyId + " is not pinned on this gateway (pinned: " + keys.ids() + ")"));
    boolean ok;
    try {
      Signature v = Signature.getInstance("Ed25519");
      v.initVerify(key);
      v.update(signedBytes(kind, keyId, sequence, issuedAt, body));
      ok = v.verify(signature);
    } catch (GeneralSecurityException e) {
      ok = false;
    }
    if (!ok) {
      throw new CommandRejected("bad-signature", "signature does not verify with key " + keyId);
    }
    return new SignedUpdate(kind, body, keyId, issuedAt, sequence);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.isTextual() ? null : v.asText();
  }

  static byte[] signedBytes(String kind, String keyId, long sequence, String issuedAt, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 128);
    out.writeBytes((DOMAIN + kind + "\n" + keyId + "\n" + sequence + "\n" + issuedAt + "\n").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** Builds a signed payload (what the cloud side sends); used by tests and tooling. */
  public static byte[] sign(PrivateKey key, PublicKey publicKey, String kind, long sequence, Instant issuedAt, byte[] body)
      throws GeneralSecurityException {
    String keyId = TrustedKeys.keyId(publicKey);
    String issued = issuedAt.toString();
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(key);
    s.update(signedBytes(kind, keyId, sequence, issued, body));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("body", Base64.getEncoder().encodeToString(body));
    m.put("signature", Base64.getEncoder().encodeToString(s.sign()));
    m.put("keyId", keyId);
    m.put("issuedAt", issued);
    m.put("sequence", sequence);
    try {
      return JSON.writeValueAsBytes(m);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
