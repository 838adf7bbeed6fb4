package org.storeedge.driver.opcua;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

/**
 * The client's application instance certificate and key, and the server certificates it trusts.
 * Loaded from files at start (never at config load); every failure is an {@link IOException} whose
 * message names the file and what to do.
 *
 * @param applicationUri the URI in the certificate's subjectAltName, sent as the client's
 *     application URI (servers check that they match)
 */
record ClientIdentity(KeyPair keyPair, X509Certificate[] chain, String applicationUri) {

  static final String GENERATED_CERT = "client-cert.pem";
  static final String GENERATED_CERT_DER = "client-cert.der";
  static final String GENERATED_KEY = "client-key.pem";

  X509Certificate certificate() {
    return chain[0];
  }

  /** The configured identity, or one generated into {@code certificateDir} on first use. */
  static ClientIdentity load(OpcUaSettings s, String deviceId) throws IOException {
    if (s.clientCertificate().isPresent() && s.clientPrivateKey().isPresent()) {
      return fromPem(s.clientCertificate().get(), s.clientPrivateKey().get(), defaultUri(deviceId));
    }
    if (s.keyStore().isPresent()) {
      return fromPkcs12(s.keyStore().get(), s.keyStorePasswordFile().orElseThrow(), s.keyAlias(), defaultUri(deviceId));
    }
    return generated(s.certificateDir(), deviceId);
  }

  static String defaultUri(String deviceId) {
    return "urn:storeedge:opcua-client:" + deviceId;
  }

  static ClientIdentity fromPem(Path certFile, Path keyFile, String fallbackUri) throws IOException {
    List<X509Certificate> chain = readCertificates(certFile);
    if (chain.isEmpty()) {
      throw new IOException(certFile + ": no certificate found (expected PEM or DER X.509)");
    }
    PrivateKey key = readPkcs8Key(keyFile);
    X509Certificate[] arr = chain.toArray(X509Certificate[]::new);
    return new ClientIdentity(new KeyPair(arr[0].getPublicKey(), key), arr,
        CertificateUtil.getSanUri(arr[0]).orElse(fallbackUri));
  }

  static ClientIdentity fromPkcs12(Path store, Path passwordFile, Optional<String> alias, String fallbackUri) throws IOException {
    char[] password = readSecret(passwordFile).toCharArray();
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password);
      String a = alias.orElse(null);
      if (a == null) {
        for (String candidate : Collections.list(ks.aliases())) {
          if (ks.isKeyEntry(candidate)) {
            a = candidate;
            break;
          }
        }
      }
      if (a == null || !ks.isKeyEntry(a)) {
        throw new IOException(store + ": no private key entry" + (alias.isPresent() ? " named '" + alias.get() + "'" : ""));
      }
      Key key = ks.getKey(a, password);
      Certificate[] certs = ks.getCertificateChain(a);
      if (!(key instanceof PrivateKey pk) || certs == null || certs.length == 0) {
        throw new IOException(store + ": entry '" + a + "' has no private key with a certificate chain");
      }
      X509Certificate[] chain = Stream.of(certs).map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
      return new ClientIdentity(new KeyPair(chain[0].getPublicKey(), pk), chain,
          CertificateUtil.getSanUri(chain[0]).orElse(fallbackUri));
    } catch (GeneralSecurityException e) {
      throw new IOException(store + ": cannot read PKCS#12 key store (wrong password?): " + e.getMessage(), e);
    }
  }

  /**
   * Loads the identity kept in {@code dir}, generating a self-signed RSA 2048 / SHA-256 one on
   * first use (PEM certificate and key, plus the certificate as DER for servers' trust lists). The
   * key file is readable by the owner only.
   */
  static ClientIdentity generated(Path dir, String deviceId) throws IOException {
    Path cert = dir.resolve(GENERATED_CERT);
    Path key = dir.resolve(GENERATED_KEY);
    if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
      return fromPem(cert, key, defaultUri(deviceId));
    }
    Files.createDirectories(dir);
    String uri = defaultUri(deviceId);
    try {
      KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
      X509Certificate certificate = new SelfSignedCertificateBuilder(keyPair)
          .setCommonName("StoreEdge OPC UA client " + deviceId)
          .setOrganization("StoreEdge")
          .setApplicationUri(uri)
          .addDnsName("localhost")
          .addIpAddress("127.0.0.1")
          .build();
      Path keyTmp = dir.resolve(GENERATED_KEY + ".tmp");
      Files.deleteIfExists(keyTmp);
      try {
        Files.createFile(keyTmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(keyTmp);
      }
      Files.writeString(keyTmp, pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()), StandardOpenOption.TRUNCATE_EXISTING);
      Files.writeString(dir.resolve(GENERATED_CERT), pem("CERTIFICATE", certificate.getEncoded()));
      Files.write(dir.resolve(GENERATED_CERT_DER), certificate.getEncoded());
      Files.move(keyTmp, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return new ClientIdentity(keyPair, new X509Certificate[] {certificate}, uri);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("cannot generate the client certificate in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** All certificates in the files of {@code dir} (PEM or DER; other files are skipped). */
  static List<X509Certificate> trustedCertificates(Path dir) throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      throw new IOException("trusted server certificate directory not found: " + dir);
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = f.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".der") || name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer")) {
          out.addAll(readCertificates(f));
        }
      }
    }
    return out;
  }

  static List<X509Certificate> readCertificates(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : cf.generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IOException(file + ": not an X.509 certificate (PEM or DER): " + e.getMessage(), e);
    }
  }

  static PrivateKey readPkcs8Key(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    if (text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
      throw new IOException(file + ": key must be an unencrypted PKCS#8 PEM (BEGIN PRIVATE KEY); convert with "
          + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'");
    }
    int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = text.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new IOException(file + ": no '-----BEGIN PRIVATE KEY-----' block (expected an unencrypted PKCS#8 PEM key)");
    }
    byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IOException(file + ": not an RSA private key: " + e.getMessage(), e);
    }
  }

  /** The file's content without its trailing line break (a secret written with echo works). */
  static String readSecret(Path file) throws IOException {
    String s = Files.readString(file, StandardCharsets.UTF_8);
    while (s.endsWith("\n") || s.endsWith("\r")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
