package org.storeedge.driver.opcua;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.Settings;

/**
 * The settings of one {@code type: opcua} device, checked. Built by {@link #parse}, which reports
 * every problem with its location instead of stopping at the first one.
 *
 * <p>Relative file paths resolve against the directory of the config file the setting was read
 * from (when that file exists), else against the working directory.
 *
 * @param endpoint {@code opc.tcp://host:port[/path]}
 * @param nodes lane channel to the NodeId of the variable carrying that lane's load
 * @param gramsPerUnit factor from the server's unit to grams (1 for grams, 1000 for kilograms)
 * @param clientCertificate PEM certificate of the client (with {@code clientPrivateKey})
 * @param keyStore PKCS#12 client identity (alternative to certificate + private key)
 * @param certificateDir where a self-signed client identity is generated on first start and where
 *     rejected server certificates are written ({@code rejected/})
 * @param trustedServerCertificates directory of trusted server certificates (DER or PEM files),
 *     default {@code certificateDir/trusted}; read at every connection attempt
 */
public record OpcUaSettings(
    String endpoint,
    String host,
    int port,
    Security securityPolicy,
    Mode securityMode,
    Optional<Path> clientCertificate,
    Optional<Path> clientPrivateKey,
    Optional<Path> keyStore,
    Optional<Path> keyStorePasswordFile,
    Optional<String> keyAlias,
    Path certificateDir,
    Path trustedServerCertificates,
    Optional<String> username,
    Optional<Path> passwordFile,
    double samplingIntervalMs,
    double publishingIntervalMs,
    Map<String, NodeId> nodes,
    double gramsPerUnit) {

  public static final double DEFAULT_SAMPLING_INTERVAL_MS = 100;

  /** Security policies this driver speaks. */
  public enum Security {
    None,
    Basic256Sha256
  }

  /** Message security modes. */
  public enum Mode {
    None,
    Sign,
    SignAndEncrypt
  }

  static final Set<String> KEYS = Set.of(
      "endpoint", "securityPolicy", "securityMode", "certificate", "privateKey", "keyStore",
      "keyStorePasswordFile", "keyAlias", "certificateDir", "trustedServerCertificates", "username",
      "passwordFile", "samplingIntervalMs", "publishingIntervalMs", "nodes", "nodeIds", "unit");

  public OpcUaSettings {
    nodes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
  }

  /** Whether the channel is signed or encrypted (a client certificate is then needed). */
  public boolean secured() {
    return securityPolicy != Security.None;
  }

  /**
   * Parses and checks {@code s}. Problems are added to {@code problems}; the result is present only
   * when there were none.
   *
   * @param deviceId used for the default {@code certificateDir}
   */
  public static Optional<OpcUaSettings> parse(String deviceId, Settings s, List<ConfigProblem> problems) {
    int before = problems.size();
    for (String key : s.values().keySet()) {
      if (key.equals("password")) {
        problems.add(s.problem(key, "inline passwords are not accepted: put the password in a file and set passwordFile"));
      } else if (!KEYS.contains(key)) {
        problems.add(s.problem(key, "unknown setting '" + key + "' (known: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")"));
      }
    }

    String endpoint = string(s, "endpoint", problems).orElse(null);
    String host = null;
    int port = -1;
    if (endpoint == null) {
      if (s.get("endpoint").isEmpty()) {
        problems.add(s.problem("endpoint", "required: the server's endpoint URL, e.g. opc.tcp://10.0.0.5:4840"));
      }
    } else {
      try {
        URI uri = new URI(endpoint);
        if (!"opc.tcp".equalsIgnoreCase(uri.getScheme())) {
          problems.add(s.problem("endpoint", "must be an opc.tcp:// URL (got: " + endpoint + ")"));
        } else if (uri.getHost() == null) {
          problems.add(s.problem("endpoint", "has no host (got: " + endpoint + ")"));
        } else {
          host = uri.getHost();
          port = uri.getPort() < 0 ? 4840 : uri.getPort();
        }
      } catch (URISyntaxException e) {
        problems.add(s.problem("endpoint", "not a valid URL: " + e.getMessage()));
      }
    }

    Security policy = enumValue(s, "securityPolicy", Security.class, problems).orElse(Security.None);
    Optional<Mode> modeSetting = enumValue(s, "securityMode", Mode.class, problems);
    Mode mode = modeSetting.orElse(policy == Security.None ? Mode.None : Mode.SignAndEncrypt);
    if (policy == Security.None && mode != Mode.None) {
      problems.add(s.problem("securityMode", "securityPolicy None allows only securityMode None (got: " + mode + ")"));
    } else if (policy != Security.None && mode == Mode.None) {
      problems.add(s.problem("securityMode", "securityPolicy " + policy + " needs securityMode Sign or SignAndEncrypt"));
    }

    Optional<Path> cert = existingFile(s, "certificate", problems);
    Optional<Path> key = existingFile(s, "privateKey", problems);
    Optional<Path> keyStore = existingFile(s, "keyStore", problems);
    Optional<Path> keyStorePasswordFile = existingFile(s, "keyStorePasswordFile", problems);
    Optional<String> keyAlias = string(s, "keyAlias", problems);
    if (s.get("certificate").isPresent() != s.get("privateKey").isPresent()) {
      String missing = s.get("certificate").isPresent() ? "privateKey" : "certificate";
      problems.add(s.problem(missing, "certificate and privateKey go together (PEM files); '" + missing + "' is missing"));
    }
    if (s.get("keyStore").isPresent() && s.get("certificate").isPresent()) {
      problems.add(s.problem("keyStore", "give either keyStore or certificate + privateKey, not both"));
    }
    if (s.get("keyStore").isPresent() && s.get("keyStorePasswordFile").isEmpty()) {
      problems.add(s.problem("keyStorePasswordFile", "required with keyStore: a file holding the PKCS#12 password"));
    }
    Path certificateDir = path(s, "certificateDir", problems).orElse(resolve(s, "certificateDir", "pki/opcua-" + deviceId));
    Optional<Path> trustedSetting = path(s, "trustedServerCertificates", problems);
    if (trustedSetting.isPresent() && !Files.isDirectory(trustedSetting.get())) {
      problems.add(s.problem("trustedServerCertificates", "not a directory: " + trustedSetting.get()));
    }
    Path trusted = trustedSetting.orElse(certificateDir.resolve("trusted"));

    Optional<String> username = string(s, "username", problems);
    Optional<Path> passwordFile = existingFile(s, "passwordFile", problems);
    if (s.get("username").isPresent() != s.get("passwordFile").isPresent()) {
      String missing = s.get("username").isPresent() ? "passwordFile" : "username";
      problems.add(s.problem(missing, "username and passwordFile go together (the password is never written inline); '" + missing + "' is missing"));
    }

    double sampling = positive(s, "samplingIntervalMs", problems).orElse(DEFAULT_SAMPLING_INTERVAL_MS);
    double publishing = positive(s, "publishingIntervalMs", problems).orElse(sampling);

    Map<String, NodeId> nodes = new LinkedHashMap<>();
    String nodesKey = s.get("nodes").isPresent() || s.get("nodeIds").isEmpty() ? "nodes" : "nodeIds";
    if (s.get("nodes").isPresent() && s.get("nodeIds").isPresent()) {
      problems.add(s.problem("nodeIds", "give either nodes or nodeIds (the same map), not both"));
    }
    Object rawNodes = s.get(nodesKey).orElse(null);
    if (rawNodes == null) {
      problems.add(s.problem("nodes", "required: a map from lane channel to NodeId, e.g. { \"0\": \"ns=2;s=Shelf1.Lane1.WeightGrams\" }"));
    } else if (!(rawNodes instanceof Map<?, ?> map)) {
      problems.add(s.problem(nodesKey, "must be a map from lane channel to NodeId string"));
    } else if (map.isEmpty()) {
      problems.add(s.problem(nodesKey, "is empty: map each lane channel to a NodeId"));
    } else {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String channel = String.valueOf(e.getKey());
        String where = nodesKey + "." + channel;
        if (!(e.getValue() instanceof String text) || text.isBlank()) {
          problems.add(new ConfigProblem(s.locationOf(nodesKey), s.pathOf(where), "must be a NodeId string such as ns=2;s=Shelf1.Lane1.WeightGrams"));
          continue;
        }
        Optional<NodeId> id = NodeId.parseSafe(text.trim());
        if (id.isEmpty()) {
          problems.add(new ConfigProblem(s.locationOf(nodesKey), s.pathOf(where), "not a valid NodeId: '" + text + "' (expected e.g. ns=2;s=Shelf1.Lane1.WeightGrams or ns=3;i=1001)"));
        } else {
          nodes.put(channel, id.get());
        }
      }
    }

    double gramsPerUnit = 1;
    Optional<String> unit = string(s, "unit", problems);
    if (unit.isPresent()) {
      switch (unit.get()) {
        case "grams", "g" -> gramsPerUnit = 1;
        case "kilograms", "kg" -> gramsPerUnit = 1000;
        default -> problems.add(s.problem("unit", "must be grams or kilograms (got: " + unit.get() + ")"));
      }
    }

    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new OpcUaSettings(endpoint, host, port, policy, mode, cert, key, keyStore,
        keyStorePasswordFile, keyAlias, certificateDir, trusted, username, passwordFile, sampling,
        publishing, nodes, gramsPerUnit));
  }

  private static Optional<String> string(Settings s, String key, List<ConfigProblem> problems) {
    Object v = s.get(key).orElse(null);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Map || v instanceof List) {
      problems.add(s.problem(key, "must be a text value"));
      return Optional.empty();
    }
    String text = String.valueOf(v).trim();
    if (text.isEmpty()) {
      problems.add(s.problem(key, "must not be empty"));
      return Optional.empty();
    }
    return Optional.of(text);
  }

  private static <E extends Enum<E>> Optional<E> enumValue(Settings s, String key, Class<E> type, List<ConfigProblem> problems) {
    Optional<String> text = string(s, key, problems);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(text.get())) {
        return Optional.of(e);
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name());
    }
    problems.add(s.problem(key, "must be one of " + String.join(", ", names) + " (got: " + text.get() + ")"));
    return Optional.empty();
  }

  private static Optional<Double> positive(Settings s, String key, List<ConfigProblem> problems) {
    Object v = s.get(key).orElse(null);
    if (v == null) {
      return Optional.empty();
    }
    double d;
    if (v instanceof Number n) {
      d = n.doubleValue();
    } else {
      try {
        d = Double.parseDouble(String.valueOf(v).trim());
      } catch (NumberFormatException e) {
        problems.add(s.problem(key, "must be a number of milliseconds (got: " + v + ")"));
        return Optional.empty();
      }
    }
    if (!(d > 0) || Double.isInfinite(d)) {
      problems.add(s.problem(key, "must be > 0 milliseconds (got: " + v + ")"));
      return Optional.empty();
    }
    return Optional.of(d);
  }

  private static Optional<Path> path(Settings s, String key, List<ConfigProblem> problems) {
    return string(s, key, problems).map(p -> resolve(s, key, p));
  }

  private static Optional<Path> existingFile(Settings s, String key, List<ConfigProblem> problems) {
    Optional<Path> p = path(s, key, problems);
    if (p.isPresent() && !Files.isRegularFile(p.get())) {
      problems.add(s.problem(key, "file not found: " + p.get()));
      return Optional.empty();
    }
    return p;
  }

  /** {@code value} as a path; relative ones against the config file's directory. */
  static Path resolve(Settings s, String key, String value) {
    Path p = Path.of(value);
    if (p.isAbsolute()) {
      return p.normalize();
    }
    String file = s.locationOf(key).file();
    if (file != null && !file.isBlank()) {
      try {
        Path configFile = Path.of(file);
        if (Files.isRegularFile(configFile)) {
          Path dir = configFile.toAbsolutePath().getParent();
          if (dir != null) {
            return dir.resolve(p).normalize();
          }
        }
      } catch (RuntimeException e) {
        // not a file path (a resource name): fall through to the working directory
      }
    }
    return p.toAbsolutePath().normalize();
  }
}
