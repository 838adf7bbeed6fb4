package org.storeedge.runtime.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Ed25519 public keys pinned on this gateway, by key id. A key id is the first 16 hex digits
 * of the SHA-256 of the key's X.509 (SubjectPublicKeyInfo) encoding, so both sides derive it from
 * the key itself. Several keys may be pinned at once (rotation). Immutable, thread-safe.
 */
public final class TrustedKeys {
  private static final Pattern PEM = Pattern.compile("-----BEGIN PUBLIC KEY-----(.*?)-----END PUBLIC KEY-----",
      Pattern.DOTALL);

  private final Map<String, PublicKey> byId;

  private TrustedKeys(Map<String, PublicKey> byId) {
    this.byId = Map.copyOf(byId);
  }

  public static TrustedKeys none() {
    return new TrustedKeys(Map.of());
  }

  public static TrustedKeys of(List<PublicKey> keys) {
    Map<String, PublicKey> m = new LinkedHashMap<>();
    for (PublicKey k : keys) {
      if (!"Ed25519".equals(k.getAlgorithm()) && !"EdDSA".equals(k.getAlgorithm())) {
        throw new IllegalArgumentException("pinned keys must be Ed25519 (got: " + k.getAlgorithm() + ")");
      }
      m.put(keyId(k), k);
    }
    return new TrustedKeys(m);
  }

  /**
   * Reads PEM files ({@code -----BEGIN PUBLIC KEY-----}, as written by {@code openssl pkey -pubout}
   * for an Ed25519 key).
   *
   * @throws IOException a file cannot be read or holds no Ed25519 public key; the message names it
   */
  public static TrustedKeys load(List<Path> pemFiles) throws IOException {
    Map<String, PublicKey> m = new LinkedHashMap<>();
    for (Path f : pemFiles) {
      String text;
      try {
        text = Files.readString(f, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IOException("--trust-key " + f + ": cannot read: " + e.getMessage(), e);
      }
      Matcher mt = PEM.matcher(text);
      if (!mt.find()) {
        throw new IOException("--trust-key " + f + ": expected a PEM public key (-----BEGIN PUBLIC KEY-----); "
            + "make one with: openssl pkey -in signing-key.pem -pubout -out trust-key.pem");
      }
      try {
        byte[] der = Base64.getMimeDecoder().decode(mt.group(1));
        PublicKey k = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        m.put(keyId(k), k);
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new IOException("--trust-key " + f + ": not an Ed25519 public key: " + e.getMessage(), e);
      }
    }
    return new TrustedKeys(m);
  }

  /** PEM text of a public key, for writing a trust key file. */
  public static String toPem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  }

  public static String keyId(PublicKey key) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  public Optional<PublicKey> key(String keyId) {
    return Optional.ofNullable(byId.get(keyId));
  }

  public boolean isEmpty() {
    return byId.isEmpty();
  }

  public List<String> ids() {
    return List.copyOf(byId.keySet());
  }
}
