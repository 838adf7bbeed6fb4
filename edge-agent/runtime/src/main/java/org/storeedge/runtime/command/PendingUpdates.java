package org.storeedge.runtime.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storeedge.core.json.Json;

/**
 * Signed updates that arrived while shoppers were in the store, held until the store is empty or
 * their deadline passes: at most one per command (a newer sequence replaces the one held). Each is
 * kept next to the store file ({@code FILE.pending-config-update.json}, written atomically), so a
 * power cut or restart while one waits does not lose it. The payload is kept as received and
 * verified again when it is applied.
 */
final class PendingUpdates {
  private static final Logger LOG = LoggerFactory.getLogger(PendingUpdates.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param payload the command's payload as received (signed envelope)
   * @param applyByMillis applied at this time at the latest, shoppers inside or not
   */
  record Pending(String command, long sequence, byte[] payload, long receivedMillis, long applyByMillis) {}

  private final Path storeFile;
  private final Map<String, Pending> byCommand = new LinkedHashMap<>();

  /** Reads the updates a previous run left waiting; a file that cannot be read is renamed aside and logged. */
  PendingUpdates(Path storeFile, List<String> commands) {
    this.storeFile = storeFile;
    for (String c : commands) {
      Path f = fileOf(c);
      if (!Files.exists(f)) {
        continue;
      }
      try {
        JsonNode n = JSON.readTree(Files.readAllBytes(f));
        Pending p = new Pending(c, n.path("sequence").asLong(), Base64.getDecoder().decode(n.path("payload").asText()),
            Instant.parse(n.path("receivedAt").asText()).toEpochMilli(), Instant.parse(n.path("applyBy").asText()).toEpochMilli());
        byCommand.put(c, p);
        LOG.info("{} sequence {} still waits for an empty store (at the latest {})", c, p.sequence(),
            Instant.ofEpochMilli(p.applyByMillis()));
      } catch (IOException | RuntimeException e) {
        Path aside = f.resolveSibling(f.getFileName() + ".unreadable");
        LOG.error("pending update {} cannot be read ({}); moved to {}; send the update again", f, e.toString(), aside);
        try {
          Files.move(f, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException me) {
          LOG.error("could not move {} aside: {}", f, me.toString());
        }
      }
    }
  }

  Path fileOf(String command) {
    return storeFile.resolveSibling(storeFile.getFileName() + ".pending-" + command + ".json");
  }

  synchronized Optional<Pending> get(String command) {
    return Optional.ofNullable(byCommand.get(command));
  }

  synchronized List<Pending> all() {
    return new ArrayList<>(byCommand.values());
  }

  /** Holds {@code p} (replacing any other update of its command), on disk before it returns. */
  synchronized void put(Pending p) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", p.command());
    m.put("sequence", p.sequence());
    m.put("receivedAt", Instant.ofEpochMilli(p.receivedMillis()).toString());
    m.put("applyBy", Instant.ofEpochMilli(p.applyByMillis()).toString());
    m.put("payload", Base64.getEncoder().encodeToString(p.payload()));
    AtomicFiles.write(fileOf(p.command()), Json.write(m).getBytes(StandardCharsets.UTF_8));
    byCommand.put(p.command(), p);
  }

  /** Drops the update held for {@code command} if its sequence is at most {@code upTo}. */
  synchronized void removeUpTo(String command, long upTo) throws IOException {
    Pending p = byCommand.get(command);
    if (p != null && p.sequence() <= upTo) {
      Files.deleteIfExists(fileOf(command));
      byCommand.remove(command);
    }
  }
}
