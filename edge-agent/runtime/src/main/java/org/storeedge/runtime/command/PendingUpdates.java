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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storeedge.core.json.Json;

/**
 * Signed updates that arrived while shoppers were in the store, held until the store is empty or
 * their deadline passes: at most one per slot (a newer sequence replaces the one held). A slot is
 * the command ({@code config-update}, {@code planogram-update}) or, for models, the command and
 * the model ({@code model-update.sim-person}), so updates of two models wait side by side. Each
 * is kept next to the store file ({@code FILE.pending-SLOT.json}, written atomically), so a power
 * cut or restart while one waits does not lose it. The payload is kept as received and verified
 * again when it is applied.
 */
final class PendingUpdates {
  private static final Logger LOG = LoggerFactory.getLogger(PendingUpdates.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A model's name as {@link ModelPackage} allows it. */
  private static final Pattern MODEL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /**
   * @param slot what the update replaces: its command, or {@code model-update.NAME} (see {@link #slotOf})
   * @param payload the command's payload as received (signed envelope)
   * @param applyByMillis applied at this time at the latest, shoppers inside or not
   */
  record Pending(String slot, long sequence, byte[] payload, long receivedMillis, long applyByMillis) {
    /** The command that applies it. */
    String command() {
      return commandOf(slot);
    }

    /** The model a model-update slot is for (empty for other commands, and for a file kept before slots had one). */
    Optional<String> model() {
      return modelOf(slot);
    }
  }

  private static String commandOf(String slot) {
    int dot = slot.indexOf('.');
    return dot < 0 ? slot : slot.substring(0, dot);
  }

  private static Optional<String> modelOf(String slot) {
    int dot = slot.indexOf('.');
    return dot < 0 ? Optional.empty() : Optional.of(slot.substring(dot + 1));
  }

  /** The slot of an update of {@code command}; {@code model} names the model of a model-update (else null). */
  static String slotOf(String command, String model) {
    if (model == null) {
      return command;
    }
    if (!MODEL.matcher(model).matches()) {
      throw new IllegalArgumentException("not a model name: " + model);
    }
    return command + "." + model;
  }

  private final Path storeFile;
  private final Map<String, Pending> bySlot = new LinkedHashMap<>();

  /**
   * Reads the updates a previous run left waiting for any of {@code commands}; a file that cannot
   * be read is renamed aside and logged. Files of other commands are left alone.
   */
  PendingUpdates(Path storeFile, List<String> commands) {
    this.storeFile = storeFile;
    List<Pending> found = new ArrayList<>();
    for (Path f : heldFiles()) {
      String slot = slotOfFile(f);
      if (!commands.contains(commandOf(slot)) || modelOf(slot).filter(m -> !MODEL.matcher(m).matches()).isPresent()) {
        continue;
      }
      try {
        JsonNode n = JSON.readTree(Files.readAllBytes(f));
        found.add(new Pending(slot, n.path("sequence").asLong(), Base64.getDecoder().decode(n.path("payload").asText()),
            Instant.parse(n.path("receivedAt").asText()).toEpochMilli(),
            Instant.parse(n.path("applyBy").asText()).toEpochMilli()));
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
    // applied in the order they arrived, as they would have been without the restart
    found.sort(Comparator.comparingLong(Pending::receivedMillis).thenComparingLong(Pending::sequence));
    for (Pending p : found) {
      bySlot.put(p.slot(), p);
      LOG.info("{} sequence {} still waits for an empty store (at the latest {})", p.slot(), p.sequence(),
          Instant.ofEpochMilli(p.applyByMillis()));
    }
  }

  private String prefix() {
    return storeFile.getFileName() + ".pending-";
  }

  private List<Path> heldFiles() {
    Path dir = storeFile.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    String prefix = prefix();
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> {
        String n = f.getFileName().toString();
        return n.startsWith(prefix) && n.endsWith(".json") && n.length() > prefix.length() + ".json".length();
      }).sorted().toList();
    } catch (IOException e) {
      LOG.error("held updates in {} cannot be listed: {}", dir, e.toString());
      return List.of();
    }
  }

  private String slotOfFile(Path f) {
    String n = f.getFileName().toString();
    return n.substring(prefix().length(), n.length() - ".json".length());
  }

  Path fileOf(String slot) {
    return storeFile.resolveSibling(prefix() + slot + ".json");
  }

  synchronized Optional<Pending> get(String slot) {
    return Optional.ofNullable(bySlot.get(slot));
  }

  /** Every held update, in the order they arrived. */
  synchronized List<Pending> all() {
    return new ArrayList<>(bySlot.values());
  }

  /** Holds {@code p} (replacing any other update of its slot), on disk before it returns. */
  synchronized void put(Pending p) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", p.command());
    p.model().ifPresent(x -> m.put("model", x));
    m.put("sequence", p.sequence());
    m.put("receivedAt", Instant.ofEpochMilli(p.receivedMillis()).toString());
    m.put("applyBy", Instant.ofEpochMilli(p.applyByMillis()).toString());
    m.put("payload", Base64.getEncoder().encodeToString(p.payload()));
    AtomicFiles.write(fileOf(p.slot()), Json.write(m).getBytes(StandardCharsets.UTF_8));
    bySlot.remove(p.slot()); // a replacement goes to the end: it arrived last
    bySlot.put(p.slot(), p);
  }

  /** Drops the update held in {@code slot} if its sequence is at most {@code upTo}. */
  synchronized void removeUpTo(String slot, long upTo) throws IOException {
    Pending p = bySlot.get(slot);
    if (p != null && p.sequence() <= upTo) {
      Files.deleteIfExists(fileOf(slot));
      bySlot.remove(slot);
    }
  }
}
