package org.storeedge.sync.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.storeedge.config.StoreConfig;

/**
 * Uplink settings.
 *
 * @param brokerUris brokers in failover order ({@code tcp://host:port}, {@code ssl://host:port})
 * @param clientId MQTT client id; the broker keeps the session under it
 * @param topicPrefix ends with '/', e.g. {@code storeedge/v1/demo-001/gw-01/}
 * @param socketFactory TLS socket factory for ssl:// URIs (empty: plain or JVM defaults)
 * @param password never printed
 * @param keepAliveSeconds MQTT keep alive, seconds, &gt;= 0
 * @param sessionExpirySeconds how long the broker keeps the session (and queued commands) after
 *     a disconnect, seconds
 * @param maxInFlight most unacknowledged publishes; the broker's Receive Maximum lowers it
 * @param maxBatchBytes events and telemetry are sent as {@code {"batch":[...]}} envelopes of up
 *     to this many bytes (before compression); 0 sends every entry on its own
 * @param maxBatchEntries most entries in one envelope, &gt;= 1
 * @param compression GZIP compresses every entry publish (batch or single) and marks it with the
 *     user property {@code content-encoding: gzip}
 * @param telemetryExpirySeconds MQTT 5 message expiry of telemetry publishes (the broker drops
 *     them when no subscriber took them in time), seconds; 0 for none
 */
public record UplinkOptions(List<String> brokerUris, String clientId, String topicPrefix,
    Optional<SSLSocketFactory> socketFactory, Optional<String> username, Optional<char[]> password,
    int keepAliveSeconds, long sessionExpirySeconds, int maxInFlight, int maxBatchBytes,
    int maxBatchEntries, Compression compression, long telemetryExpirySeconds) {

  public static final int DEFAULT_MAX_IN_FLIGHT = 1000;
  public static final int DEFAULT_MAX_BATCH_BYTES = 128 * 1024;
  public static final int DEFAULT_MAX_BATCH_ENTRIES = 500;
  public static final long DEFAULT_TELEMETRY_EXPIRY_SECONDS = 3600;

  /** Payload compression of entry publishes. */
  public enum Compression {
    NONE,
    GZIP
  }

  public UplinkOptions {
    brokerUris = List.copyOf(brokerUris);
    if (brokerUris.isEmpty()) {
      throw new IllegalArgumentException("at least one broker URI is required");
    }
    for (String uri : brokerUris) {
      if (!(uri.startsWith("tcp://") || uri.startsWith("ssl://") || uri.startsWith("ws://") || uri.startsWith("wss://"))) {
        throw new IllegalArgumentException("broker URI must start with tcp://, ssl://, ws:// or wss:// (got: " + uri + ")");
      }
    }
    if (clientId == null || clientId.isBlank()) {
      throw new IllegalArgumentException("clientId must be non-blank");
    }
    if (topicPrefix == null || !topicPrefix.endsWith("/") || topicPrefix.contains("+") || topicPrefix.contains("#")) {
      throw new IllegalArgumentException("topicPrefix must end with '/' and have no wildcards (got: " + topicPrefix + ")");
    }
    if (keepAliveSeconds < 0) {
      throw new IllegalArgumentException("keepAliveSeconds must be >= 0 (got: " + keepAliveSeconds + ")");
    }
    if (sessionExpirySeconds < 0) {
      throw new IllegalArgumentException("sessionExpirySeconds must be >= 0 (got: " + sessionExpirySeconds + ")");
    }
    if (maxInFlight <= 0 || maxInFlight > 65535) {
      throw new IllegalArgumentException("maxInFlight must be in 1..65535 (got: " + maxInFlight + ")");
    }
    if (maxBatchBytes < 0 || maxBatchBytes > 64 * 1024 * 1024) {
      throw new IllegalArgumentException("maxBatchBytes must be in 0..64MiB (got: " + maxBatchBytes + ")");
    }
    if (maxBatchEntries < 1) {
      throw new IllegalArgumentException("maxBatchEntries must be >= 1 (got: " + maxBatchEntries + ")");
    }
    if (compression == null) {
      throw new IllegalArgumentException("compression must be set (NONE or GZIP)");
    }
    if (telemetryExpirySeconds < 0 || telemetryExpirySeconds > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("telemetryExpirySeconds must be in 0..4294967295 (got: " + telemetryExpirySeconds + ")");
    }
  }

  /** Default batching (128 KiB, 500 entries), no compression, telemetry expiring after an hour. */
  public UplinkOptions(List<String> brokerUris, String clientId, String topicPrefix,
      Optional<SSLSocketFactory> socketFactory, Optional<String> username, Optional<char[]> password,
      int keepAliveSeconds, long sessionExpirySeconds, int maxInFlight) {
    this(brokerUris, clientId, topicPrefix, socketFactory, username, password, keepAliveSeconds,
        sessionExpirySeconds, maxInFlight, DEFAULT_MAX_BATCH_BYTES, DEFAULT_MAX_BATCH_ENTRIES, Compression.NONE,
        DEFAULT_TELEMETRY_EXPIRY_SECONDS);
  }

  /** Plain TCP, no credentials, 30 s keep alive, one week session, default window. */
  public static UplinkOptions plain(List<String> brokerUris, String clientId, String topicPrefix) {
    return new UplinkOptions(brokerUris, clientId, topicPrefix, Optional.empty(), Optional.empty(),
        Optional.empty(), 30, 7 * 24 * 3600L, DEFAULT_MAX_IN_FLIGHT);
  }

  public UplinkOptions withMaxInFlight(int n) {
    return new UplinkOptions(brokerUris, clientId, topicPrefix, socketFactory, username, password,
        keepAliveSeconds, sessionExpirySeconds, n, maxBatchBytes, maxBatchEntries, compression, telemetryExpirySeconds);
  }

  /** {@code maxBytes} 0 turns batching off. */
  public UplinkOptions withBatching(int maxBytes, int maxEntries) {
    return new UplinkOptions(brokerUris, clientId, topicPrefix, socketFactory, username, password,
        keepAliveSeconds, sessionExpirySeconds, maxInFlight, maxBytes, maxEntries, compression, telemetryExpirySeconds);
  }

  public UplinkOptions withCompression(Compression c) {
    return new UplinkOptions(brokerUris, clientId, topicPrefix, socketFactory, username, password,
        keepAliveSeconds, sessionExpirySeconds, maxInFlight, maxBatchBytes, maxBatchEntries, c, telemetryExpirySeconds);
  }

  public UplinkOptions withTelemetryExpirySeconds(long seconds) {
    return new UplinkOptions(brokerUris, clientId, topicPrefix, socketFactory, username, password,
        keepAliveSeconds, sessionExpirySeconds, maxInFlight, maxBatchBytes, maxBatchEntries, compression, seconds);
  }

  /**
   * From the store file's {@code sync} section: the password is read from its file (trailing
   * newline removed), TLS material from its PEM or PKCS12 files.
   *
   * @throws IOException a referenced file cannot be read or holds invalid key material; the
   *     message names the file
   */
  public static UplinkOptions fromConfig(StoreConfig config) throws IOException {
    StoreConfig.Sync sync = config.sync();
    Optional<char[]> password = Optional.empty();
    if (sync.credentials().passwordFile().isPresent()) {
      Path f = sync.credentials().passwordFile().get();
      String text = readText(f, "sync.credentials.passwordFile");
      password = Optional.of(text.strip().toCharArray());
    }
    Optional<SSLSocketFactory> tls = tlsSocketFactory(sync.tls());
    return new UplinkOptions(sync.brokers(), sync.clientId(), sync.topicPrefix(config.store()), tls,
        sync.credentials().username(), password, sync.keepAliveSeconds(), sync.sessionExpirySeconds(),
        DEFAULT_MAX_IN_FLIGHT);
  }

  /**
   * TLS 1.2/1.3 from file references: a CA bundle (PEM) to trust, and a client identity either
   * from a PKCS12 key store (password from its file) or a PEM certificate chain and PKCS#8 PEM
   * key (RSA or EC). Empty when no TLS file is configured.
   */
  static Optional<SSLSocketFactory> tlsSocketFactory(StoreConfig.Tls tls) throws IOException {
    if (tls.caFile().isEmpty() && tls.certFile().isEmpty() && tls.keyStore().isEmpty()) {
      return Optional.empty();
    }
    try {
      TrustManagerFactory tmf = null;
      if (tls.caFile().isPresent()) {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (Certificate c : readCertificates(tls.caFile().get(), "sync.tls.caFile")) {
          trust.setCertificateEntry("ca-" + i++, c);
        }
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
      }
      KeyManagerFactory kmf = null;
      if (tls.keyStore().isPresent()) {
        Path ksFile = tls.keyStore().get();
        char[] ksPass = tls.keyStorePasswordFile().isPresent()
            ? readText(tls.keyStorePasswordFile().get(), "sync.tls.keyStorePasswordFile").strip().toCharArray()
            : new char[0];
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ksFile)) {
          ks.load(in, ksPass);
        } catch (IOException | GeneralSecurityException e) {
          throw new IOException("sync.tls.keyStore " + ksFile + ": cannot load PKCS12 key store: " + e.getMessage(), e);
        }
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, ksPass);
      } else if (tls.certFile().isPresent()) {
        if (tls.keyFile().isEmpty()) {
          throw new IOException("sync.tls.certFile is set but sync.tls.keyFile is not");
        }
        Collection<? extends Certificate> chain = readCertificates(tls.certFile().get(), "sync.tls.certFile");
        PrivateKey key = readPkcs8Key(tls.keyFile().get());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", key, new char[0], chain.toArray(new Certificate[0]));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
      }
      SSLContext ctx = SSLContext.getInstance("TLS"); // negotiates TLS 1.3 or 1.2
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return Optional.of(ctx.getSocketFactory());
    } catch (GeneralSecurityException e) {
      throw new IOException("sync.tls: cannot build TLS context: " + e.getMessage(), e);
    }
  }

  private static String readText(Path f, String what) throws IOException {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException(what + " " + f + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static Collection<? extends Certificate> readCertificates(Path f, String what) throws IOException {
    try (InputStream in = Files.newInputStream(f)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IOException(what + " " + f + ": no certificate found");
      }
      return certs;
    } catch (GeneralSecurityException e) {
      throw new IOException(what + " " + f + ": invalid certificate: " + e.getMessage(), e);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(what)) {
        throw e;
      }
      throw new IOException(what + " " + f + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static final Pattern PKCS8 = Pattern.compile(
      "-----BEGIN PRIVATE KEY-----(.*?)-----END PRIVATE KEY-----", Pattern.DOTALL);

  private static PrivateKey readPkcs8Key(Path f) throws IOException {
    String pem = readText(f, "sync.tls.keyFile");
    Matcher m = PKCS8.matcher(pem);
    if (!m.find()) {
      throw new IOException("sync.tls.keyFile " + f + ": expected an unencrypted PKCS#8 PEM key "
          + "(-----BEGIN PRIVATE KEY-----); convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    for (String alg : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IOException("sync.tls.keyFile " + f + ": not an RSA, EC or Ed25519 PKCS#8 key");
  }

  @Override
  public String toString() {
    return "UplinkOptions[brokerUris=" + brokerUris + ", clientId=" + clientId + ", topicPrefix=" + topicPrefix
        + ", tls=" + socketFactory.isPresent() + ", username=" + username.orElse("-")
        + ", password=" + (password.isPresent() ? "***" : "-") + ", keepAliveSeconds=" + keepAliveSeconds
        + ", sessionExpirySeconds=" + sessionExpirySeconds + ", maxInFlight=" + maxInFlight
        + ", maxBatchBytes=" + maxBatchBytes + ", maxBatchEntries=" + maxBatchEntries + ", compression=" + compression
        + ", telemetryExpirySeconds=" + telemetryExpirySeconds + "]";
  }
}
