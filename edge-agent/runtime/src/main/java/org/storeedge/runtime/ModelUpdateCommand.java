package org.storeedge.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import org.storeedge.runtime.command.DownlinkCommands;
import org.storeedge.runtime.command.ModelPackage;
import org.storeedge.runtime.command.SignedUpdate;
import org.storeedge.vision.onnx.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code storeedge model-update --config FILE --model DIR --signing-key PEM [--sequence N]
 * [--max-wait SECONDS]}: sends a model directory to the running agent as the signed {@code
 * model-update} command, through the store file's broker. The directory's name is the model's (a
 * camera's {@code model} in the store file). The agent tries the model before anything changes and
 * rolls it back unless its cameras run on it (see {@link DownlinkCommands}). Exit codes: 0
 * installed (or held until the store is empty: the reply says {@code "pending": true}), 1 refused,
 * rolled back or no reply in time, 2 bad input (nothing sent).
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
    byte[] payload = SignedUpdate.sign(key.getPrivate(), key.getPublic(), "model", seq, now, archive);
    if (maxWait != null) {
      ObjectNode n = (ObjectNode) JSON.readTree(payload);
      n.put("maxWaitSeconds", maxWait);
      payload = JSON.writeValueAsBytes(n);
    }
    return AgentCommandLine.send(agent, "model-update", payload, timeout, "nothing was installed", out, err);
  }
}
