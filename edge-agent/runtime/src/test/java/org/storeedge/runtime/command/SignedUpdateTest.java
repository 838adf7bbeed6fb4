package org.storeedge.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedUpdateTest {
  @TempDir
  Path dir;

  private final Instant issued = Instant.parse("2026-11-25T10:00:00Z");

  @Test
  void aPinnedKeyFromItsPemFileVerifiesAndTheKindIsBound() throws Exception {
    KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path pem = Files.writeString(dir.resolve("trust.pem"), TrustedKeys.toPem(kp.getPublic()));
    TrustedKeys keys = TrustedKeys.load(List.of(pem));
    byte[] body = "lanes".getBytes(StandardCharsets.UTF_8);
    byte[] payload = SignedUpdate.sign(kp.getPrivate(), kp.getPublic(), "planogram", 3, issued, body);

    SignedUpdate u = SignedUpdate.verify("planogram", payload, keys);
    assertThat(u.sequence()).isEqualTo(3);
    assertThat(u.body()).isEqualTo(body);
    assertThat(u.keyId()).isEqualTo(TrustedKeys.keyId(kp.getPublic()));
    // a planogram signature does not pass as a config update
    assertThatThrownBy(() -> SignedUpdate.verify("config", payload, keys)).isInstanceOf(CommandRejected.class)
        .extracting(e -> ((CommandRejected) e).reason()).isEqualTo("bad-signature");
  }

  @Test
  void aBodyOverOneMebibyteIsOversized() throws Exception {
    KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] body = new byte[SignedUpdate.MAX_BODY_BYTES + 1];
    byte[] payload = SignedUpdate.sign(kp.getPrivate(), kp.getPublic(), "config", 1, issued, body);
    assertThatThrownBy(() -> SignedUpdate.verify("config", payload, TrustedKeys.of(List.of(kp.getPublic()))))
        .extracting(e -> ((CommandRejected) e).reason()).isEqualTo("oversized");
  }

  @Test
  void aFileWithoutAPublicKeyIsABadTrustKeyNamingTheFile() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.pem"), "hello");
    assertThatThrownBy(() -> TrustedKeys.load(List.of(junk))).hasMessageContaining("junk.pem");
  }

  @Test
  void atomicReplaceKeepsThePreviousVersionAndRestoreBringsItBack() throws Exception {
    Path f = Files.writeString(dir.resolve("store.yaml"), "old");
    AtomicFiles.replace(f, "new".getBytes(StandardCharsets.UTF_8));
    assertThat(Files.readString(f)).isEqualTo("new");
    assertThat(Files.readString(AtomicFiles.previousOf(f))).isEqualTo("old");
    AtomicFiles.restore(f);
    assertThat(Files.readString(f)).isEqualTo("old");
    Path overlay = dir.resolve("none.json");
    AtomicFiles.replace(overlay, "x".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.restore(overlay); // there was no file before: restoring removes it
    assertThat(overlay).doesNotExist();
  }
}
