package org.storeedge.runtime;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.json.Json;
import org.storeedge.runtime.command.DownlinkCommands;
import org.storeedge.runtime.command.SignedUpdate;
import org.storeedge.vision.DebugSnapshots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code storeedge debug-snapshot --config FILE --camera ID|* --signing-key PEM (--frames N --seconds S | --disarm)}:
 * arms (or disarms) a running agent's debug snapshots. Like {@code calibrate} it goes through the
 * store file's broker as the {@code debug-snapshot} command; the command is signed here with an
 * Ed25519 private key whose public half the agent pins ({@code run --trust-key}), so the key, not
 * access to the gateway, authorises images of people. Keep the key off the gateway. Exit codes:
 * 0 done, 1 refused by the agent or no reply in time, 2 bad input.
 */
@Command(name = "debug-snapshot", description = "Arm or disarm blurred debug snapshots of a camera on the running agent "
    + "(a signed command, through its broker).")
final class DebugSnapshotCommand implements Callable<Integer> {
  private static final Pattern PEM = Pattern.compile("-----BEGIN PRIVATE KEY-----(.*?)-----END PRIVATE KEY-----",
      Pattern.DOTALL);

  @Spec
  CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "the agent's store YAML file")
  Path config;

  @Option(names = "--camera", required = true, paramLabel = "ID", description = "camera id from the store file, or * for "
      + "every running camera")
  String camera;

  @Option(names = "--frames", paramLabel = "N", description = "frames to write per camera, 1-" + DebugSnapshots.MAX_FRAMES)
  Integer frames;

  @Option(names = "--seconds", paramLabel = "S", description = "stop after this long at the latest, 1-900 seconds")
  Integer seconds;

  @Option(names = "--disarm", description = "stop writing now")
  boolean disarm;

  @Option(names = "--signing-key", required = true, paramLabel = "PEM",
      description = "Ed25519 private key (PKCS#8 PEM, as 'openssl genpkey -algorithm ed25519' writes it) whose public "
          + "key the agent pins with --trust-key")
  Path signingKey;

  @Option(names = "--sequence", paramLabel = "N", description = "the command's sequence number; must exceed the last "
      + "debug-snapshot the agent accepted (default: the current time in milliseconds)")
  Long sequence;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = Durations.class,
      description = "how long to wait for the agent's reply (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    int maxSeconds = (int) (DebugSnapshots.MAX_DURATION_MILLIS / 1000);
    if (!disarm && (frames == null || seconds == null)) {
      err.println("storeedge debug-snapshot: give --frames N and --seconds S, or --disarm");
      return Main.BAD_INPUT;
    }
    if (!disarm && (frames < 1 || frames > DebugSnapshots.MAX_FRAMES || seconds < 1 || seconds > maxSeconds)) {
      err.println("storeedge debug-snapshot: --frames must be 1-" + DebugSnapshots.MAX_FRAMES + " and --seconds 1-"
          + maxSeconds + " (got: " + frames + ", " + seconds + ")");
      return Main.BAD_INPUT;
    }
    if (sequence != null && sequence <= 0) {
      err.println("storeedge debug-snapshot: --sequence must be > 0 (got: " + sequence + ")");
      return Main.BAD_INPUT;
    }
    AgentCommandLine.Agent agent = AgentCommandLine.load(config, "debug-snapshot", err);
    if (agent == null) {
      return Main.BAD_INPUT;
    }
    StoreConfig cfg = agent.config();
    if (!camera.equals(DownlinkCommands.ALL_CAMERAS) && cfg.cameras().stream().noneMatch(c -> c.id().equals(camera))) {
      err.println(config + ": no camera '" + camera + "' (cameras: " + cfg.cameras().stream().map(StoreConfig.Camera::id)
          .toList() + ")");
      return Main.BAD_INPUT;
    }
    KeyPair key;
    try {
      key = loadKeyPair(signingKey);
    } catch (IOException e) {
      err.println(e.getMessage());
      return Main.BAD_INPUT;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("cameraId", camera);
    if (disarm) {
      body.put("disarm", true);
    } else {
      body.put("frames", frames);
      body.put("seconds", seconds);
    }
    Instant now = InstantSource.system().instant();
    long seq = sequence != null ? sequence : now.toEpochMilli();
    byte[] payload = SignedUpdate.sign(key.getPrivate(), key.getPublic(), "debug-snapshot", seq, now,
        Json.write(body).getBytes(StandardCharsets.UTF_8));
    return AgentCommandLine.send(agent, "debug-snapshot", payload, timeout, "nothing was armed", out, err);
  }

  /**
   * Reads a PKCS#8 Ed25519 private key and derives its public key (for the key id): the JDK's
   * key generator, given the key's own 32-byte seed as its randomness, rebuilds the pair. The
   * result is checked by a signature round trip.
   *
   * @throws IOException the file is unreadable or holds no Ed25519 private key; the message names it
   */
  static KeyPair loadKeyPair(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("--signing-key " + file + ": cannot read: " + e.getMessage(), e);
    }
    Matcher m = PEM.matcher(text);
    if (!m.find()) {
      throw new IOException("--signing-key " + file + ": expected a PEM private key (-----BEGIN PRIVATE KEY-----); "
          + "make one with: openssl genpkey -algorithm ed25519 -out signing-key.pem");
    }
    try {
      PrivateKey priv = KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1))));
      byte[] seed = ((EdECPrivateKey) priv).getBytes().orElseThrow(() -> new GeneralSecurityException("no key bytes"));
      KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
      g.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
        private static final long serialVersionUID = 1L;

        @Override
        public void nextBytes(byte[] bytes) {
          System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
      });
      PublicKey pub = g.generateKeyPair().getPublic();
      byte[] probe = "storeedge key check".getBytes(StandardCharsets.UTF_8);
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(priv);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance("Ed25519");
      v.initVerify(pub);
      v.update(probe);
      if (!v.verify(sig)) {
        throw new GeneralSecurityException("its public key could not be derived");
      }
      return new KeyPair(pub, priv);
    } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      throw new IOException("--signing-key " + file + ": not an Ed25519 private key: " + e.getMessage(), e);
    }
  }
}
