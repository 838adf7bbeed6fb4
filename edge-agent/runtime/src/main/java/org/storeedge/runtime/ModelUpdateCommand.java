package org.storeedge.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.storeedge.runtime.command.CommandClient;
import org.storeedge.runtime.command.DownlinkCommands;
import org.storeedge.runtime.command.ModelPackage;
import org.storeedge.runtime.command.ModelTransfers;
import org.storeedge.runtime.command.SignedUpdate;
import org.storeedge.vision.onnx.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code storeedge model-update --config FILE --model DIR --signing-key PEM [--sequence N]
 * [--max-wait SECONDS] [--chunk-bytes SIZE [--chunks-in-flight N]]}: sends a model directory to the
 * running agent as the signed {@code model-update} command, through the store file's broker. With
 * {@code --chunk-bytes}, for brokers that cap a message below the model's size, the archive goes
 * first as unsigned {@code model-chunk} commands of at most that many bytes each, only those the
 * agent does not hold yet, several waiting for their replies at once, and the signed command
 * carries its manifest ({@link ModelTransfers}). The directory's name is the model's (a camera's
 * {@code model} in the store file). The agent tries the model before anything changes and rolls it
 * back unless its cameras run on it (see {@link DownlinkCommands}). Exit codes: 0 installed (or
 * held until the store is empty: the reply says {@code "pending": true}), 1 refused, rolled back or
 * no reply in time, 2 bad input (nothing sent).
 */
@Command(name = "model-update", description = "Install a new version of a detector model on the running agent "
    + "(a signed command, through its broker); rolled back unless its cameras run on it.")
final class ModelUpdateCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec
  CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "the agent's store YAML file")
  Path config;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "the model's directory "
      + "(model.properties, the .onnx file, labels); its name is the model's name")
  Path model;

  @Option(names = "--signing-key", required = true, paramLabel = "PEM",
      description = "Ed25519 private key (PKCS#8 PEM) whose public key the agent pins with --trust-key")
  Path signingKey;

  @Option(names = "--sequence", paramLabel = "N", description = "the update's sequence number; must exceed the last "
      + "model update the agent accepted (default: the current time in milliseconds)")
  Long sequence;

  @Option(names = "--max-wait", paramLabel = "SECONDS", description = "while shoppers are inside, how long the update "
      + "may wait for the store to empty (default 3600; 0 applies it at once)")
  Long maxWait;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "3m", converter = Durations.class,
      description = "how long to wait for the agent's reply (default: ${DEFAULT-VALUE}); the agent tries the model "
          + "and restarts its cameras before it answers")
  Duration timeout;

  @Option(names = "--chunk-bytes", paramLabel = "SIZE", converter = ByteSizes.class,
      description = "send the archive in model-chunk commands of at most SIZE bytes and a signed manifest, for brokers "
          + "whose message limit is below the model's size; base64 makes a chunk's message about 4/3 of SIZE, so 64k "
          + "fits a 128 KB limit (AWS IoT Core's); chunks the agent already holds are not sent again")
  Integer chunkBytes;

  @Option(names = "--chunks-in-flight", paramLabel = "N", defaultValue = "4",
      description = "with --chunk-bytes, how many chunks may wait for the agent's reply at once (default: "
          + "${DEFAULT-VALUE}, 1-16); more saves round trips over a slow link")
  int chunksInFlight;

  /**
   * Most {@code --chunks-in-flight}: the agent queues at most 64 commands (its command thread handles
   * them one at a time) and refuses more as busy; this leaves room for others.
   */
  static final int MAX_CHUNKS_IN_FLIGHT = 16;

  /** Chunk messages published so far, resent ones included. */
  private int chunksSent;

  /** Smallest {@code --chunk-bytes}: below it a model of the largest size would need more chunks than allowed. */
  static final int MIN_CHUNK_BYTES = SignedUpdate.MAX_MODEL_BODY_BYTES / ModelTransfers.MAX_CHUNKS;
  /** Largest {@code --chunk-bytes}: the chunk's message must fit what the agent takes per command. */
  static final int MAX_CHUNK_BYTES = 1 << 20;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (sequence != null && sequence <= 0) {
      err.println("storeedge model-update: --sequence must be > 0 (got: " + sequence + ")");
      return Main.BAD_INPUT;
    }
    if (maxWait != null && (maxWait < 0 || maxWait > DownlinkCommands.MAX_WAIT_SECONDS)) {
      err.println("storeedge model-update: --max-wait must be 0-" + DownlinkCommands.MAX_WAIT_SECONDS + " seconds (got: "
          + maxWait + ")");
      return Main.BAD_INPUT;
    }
    if (chunkBytes != null && (chunkBytes < MIN_CHUNK_BYTES || chunkBytes > MAX_CHUNK_BYTES)) {
      err.println("storeedge model-update: --chunk-bytes must be " + MIN_CHUNK_BYTES + "-" + MAX_CHUNK_BYTES + " (got: "
          + chunkBytes + ")");
      return Main.BAD_INPUT;
    }
    if (chunksInFlight < 1 || chunksInFlight > MAX_CHUNKS_IN_FLIGHT) {
      err.println("storeedge model-update: --chunks-in-flight must be 1-" + MAX_CHUNKS_IN_FLIGHT + " (got: "
          + chunksInFlight + ")");
      return Main.BAD_INPUT;
    }
    byte[] archive;
    try {
      ModelRegistry.load(model); // the agent checks again, and runs it; this catches the obvious here
      archive = ModelPackage.zip(model);
      ModelPackage.read(archive);
    } catch (IllegalArgumentException | IOException e) {
      err.println("--model " + model + ": " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (org.storeedge.runtime.command.CommandRejected e) {
      err.println("--model " + model + ": " + e);
      return Main.BAD_INPUT;
    }
    if (archive.length > SignedUpdate.MAX_MODEL_BODY_BYTES) {
      err.println("--model " + model + ": archived it is " + archive.length + " bytes, more than a model update takes ("
          + SignedUpdate.MAX_MODEL_BODY_BYTES + ")");
      return Main.BAD_INPUT;
    }
    AgentCommandLine.Agent agent = AgentCommandLine.load(config, "model-update", err);
    if (agent == null) {
      return Main.BAD_INPUT;
    }
    KeyPair key;
    try {
      key = DebugSnapshotCommand.loadKeyPair(signingKey);
    } catch (IOException e) {
      err.println(e.getMessage());
      return Main.BAD_INPUT;
    }
    Instant now = InstantSource.system().instant();
    long seq = sequence != null ? sequence : now.toEpochMilli();
    byte[] body = chunkBytes == null ? archive : ModelTransfers.Manifest.of(archive, chunkBytes);
    byte[] payload = SignedUpdate.sign(key.getPrivate(), key.getPublic(), "model", seq, now, body);
    if (maxWait != null) {
      ObjectNode n = (ObjectNode) JSON.readTree(payload);
      n.put("maxWaitSeconds", maxWait);
      payload = JSON.writeValueAsBytes(n);
    }
    if (chunkBytes == null) {
      return AgentCommandLine.send(agent, "model-update", payload, timeout, "nothing was installed", out, err);
    }
    byte[] manifest = payload;
    return AgentCommandLine.session(agent, timeout, "chunks the agent received are kept for the next attempt; "
        + "nothing was installed", err, s -> {
          CommandClient.Reply r = sendChunks(s, archive, err);
          return r == null || !r.ok() ? r : s.send("model-update", manifest, timeout);
        }, out);
  }

  /**
   * Sends chunk 0, then the chunks the agent's reply lists as missing, until it holds them all.
   * Returns the last reply: the first refusal, or one that says the agent holds every chunk; null
   * (after saying why) when chunks stay missing although sent.
   */
  private CommandClient.Reply sendChunks(CommandClient.Session s, byte[] archive, PrintWriter err) throws Exception {
    String sha = ModelPackage.sha256(archive);
    int count = (archive.length + chunkBytes - 1) / chunkBytes;
    CommandClient.Reply r = sendAll(s, archive, sha, List.of(0), count, err);
    long missingBefore = Long.MAX_VALUE;
    while (r.ok()) {
      JsonNode b = JSON.readTree(r.body());
      long missing = b.path("missingCount").asLong();
      if (b.path("complete").asBoolean()) {
        err.println("model-update: the agent holds all " + count + " chunk(s) of " + sha + " (" + chunksSent
            + " sent); sending the signed manifest");
        return r;
      }
      if (missing >= missingBefore) {
        err.println("model-update: " + missing + " chunk(s) still missing after sending them: " + b.path("missing"));
        return null;
      }
      missingBefore = missing;
      List<Integer> next = new ArrayList<>();
      b.path("missing").forEach(i -> next.add(i.asInt()));
      r = sendAll(s, archive, sha, next, count, err);
    }
    return r;
  }

  /**
   * Sends the chunks {@code indexes}, at most {@link #chunksInFlight} of them waiting for their
   * replies at once. One the agent refuses as {@code corrupt} (its bytes changed on the way, its own
   * digest says) is sent again, up to {@link #CORRUPT_RESENDS} times; after any other refusal no
   * more are sent. Returns the first such refusal, else the reply that leaves the fewest missing.
   */
  private CommandClient.Reply sendAll(CommandClient.Session s, byte[] archive, String sha, List<Integer> indexes,
      int count, PrintWriter err) throws Exception {
    ArrayDeque<Integer> todo = new ArrayDeque<>(indexes);
    ArrayDeque<Map.Entry<Integer, CommandClient.Session.Pending>> flying = new ArrayDeque<>();
    Map<Integer, Integer> resent = new HashMap<>();
    CommandClient.Reply best = null;
    long fewest = Long.MAX_VALUE;
    CommandClient.Reply refused = null;
    while ((refused == null && !todo.isEmpty()) || !flying.isEmpty()) {
      while (refused == null && !todo.isEmpty() && flying.size() < chunksInFlight) {
        int i = todo.poll();
        flying.add(Map.entry(i, s.post("model-chunk", chunk(archive, sha, i, count), timeout)));
        chunksSent++;
      }
      Map.Entry<Integer, CommandClient.Session.Pending> f = flying.poll();
      CommandClient.Reply r = s.await(f.getValue());
      if (r.ok()) {
        long missing = JSON.readTree(r.body()).path("missingCount").asLong(Long.MAX_VALUE);
        if (best == null || missing <= fewest) {
          best = r;
          fewest = missing;
        }
      } else if (refused == null && JSON.readTree(r.body()).path("error").asText().contains("rejected (corrupt)")
          && resent.merge(f.getKey(), 1, Integer::sum) <= CORRUPT_RESENDS) {
        err.println("model-update: chunk " + f.getKey() + " arrived changed; sending it again");
        todo.addFirst(f.getKey());
      } else if (refused == null) {
        refused = r;
      }
    }
    return refused != null ? refused : best;
  }

  /** How often a chunk that arrived changed is sent again before the transfer gives up. */
  static final int CORRUPT_RESENDS = 3;

  private byte[] chunk(byte[] archive, String sha, int index, int count) {
    int from = index * chunkBytes;
    return new ModelTransfers.Chunk(sha, index, count,
        Arrays.copyOfRange(archive, from, Math.min(archive.length, from + chunkBytes))).payload();
  }
}
