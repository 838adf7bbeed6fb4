package org.storeedge.runtime.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * An update switched in but not yet found healthy. Before the switch, {@link #begin} records in a
 * marker file ({@code FILE.trial}, written whole and fsynced) what each file it will change holds
 * then, or that it does not exist; once the health check has passed, {@link #end} deletes the
 * marker. A marker found at start-up means the agent stopped (power cut, crash, a model that took
 * the process down) between the switch and the end of the check: {@link #undo} puts every
 * recorded file back as it was and deletes the marker, so the agent starts on what ran before. This
 * is the same rule as for an update the check refused: only a version that has run healthily here
 * stays in use.
 *
 * <p>The recorded files must sit in the marker's directory (they are named, not pathed, so a
 * moved data directory still recovers). A marker that cannot be read is renamed
 * {@code FILE.trial.unreadable} and reported, never silently deleted.
 */
public final class UpdateTrial {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What {@link #undo} put back: the update that was on trial and the files restored. */
  public record Undone(String update, List<String> files, String problem) {
    /** One line for logs and alerts. */
    public String describe() {
      if (problem != null) {
        return "an interrupted update left a marker that cannot be read (" + problem + "); nothing was put back";
      }
      return update + " was switched in but its health check never ended (the agent stopped); put back " + files;
    }
  }

  private UpdateTrial() {}

  /** The marker of updates that change {@code file} (and its siblings). */
  public static Path markerFor(Path file) {
    return file.resolveSibling(file.getFileName() + ".trial");
  }

  /**
   * Records what {@code files} hold now, before {@code update} changes them.
   *
   * @throws IllegalArgumentException if a file is not in the marker's directory
   */
  public static void begin(Path marker, String update, List<Path> files) throws IOException {
    Path dir = marker.toAbsolutePath().getParent();
    ObjectNode m = JSON.createObjectNode();
    m.put("update", update);
    ArrayNode a = m.putArray("files");
    for (Path f : files) {
      if (!f.toAbsolutePath().getParent().equals(dir)) {
        throw new IllegalArgumentException(f + " is not in " + dir);
      }
      ObjectNode e = a.addObject();
      e.put("name", f.getFileName().toString());
      if (Files.exists(f)) {
        e.put("content", Base64.getEncoder().encodeToString(Files.readAllBytes(f)));
      } else {
        e.putNull("content");
      }
    }
    AtomicFiles.write(marker, JSON.writeValueAsBytes(m));
  }

  /** The update passed its check (or was rolled back): forget what was recorded. */
  public static void end(Path marker) throws IOException {
    if (Files.deleteIfExists(marker)) {
      AtomicFiles.fsyncDir(marker.toAbsolutePath().getParent());
    }
  }

  /**
   * Rolls back an update the health check refused: {@link #undo} when its marker can be read;
   * otherwise (no marker, or one set aside as unreadable) each of {@code files} is put back from
   * the {@code FILE.previous} the switch kept ({@link AtomicFiles#restore}), so the update never
   * stays in use for want of its record.
   *
   * @return what {@link #undo} reported (its problem when it fell back), empty if there was no marker
   */
  public static Optional<Undone> rollBack(Path marker, List<Path> files) throws IOException {
    Optional<Undone> undone = undo(marker);
    if (undone.isEmpty() || undone.get().problem() != null) {
      for (Path f : files) {
        AtomicFiles.restore(f);
      }
    }
    return undone;
  }

  /**
   * Puts every file {@link #begin} recorded back as it was then (content, or absent) and deletes
   * the marker; empty when there is no marker.
   */
  public static Optional<Undone> undo(Path marker) throws IOException {
    if (!Files.exists(marker)) {
      return Optional.empty();
    }
    Path dir = marker.toAbsolutePath().getParent();
    JsonNode m;
    List<Restore> restores = new ArrayList<>();
    try {
      m = JSON.readTree(Files.readAllBytes(marker));
      if (m == null || !m.path("update").isTextual() || !m.path("files").isArray()) {
        throw new IOException("not an update trial record");
      }
      for (JsonNode e : m.path("files")) {
        String name = e.path("name").asText("");
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals("..")) {
          throw new IOException("bad file name " + e.path("name"));
        }
        JsonNode c = e.path("content");
        if (!c.isNull() && !c.isTextual()) {
          throw new IOException("no recorded content for " + name);
        }
        restores.add(new Restore(dir.resolve(name), c.isNull() ? null : Base64.getDecoder().decode(c.asText())));
      }
    } catch (IOException | IllegalArgumentException e) {
      Path aside = marker.resolveSibling(marker.getFileName() + ".unreadable");
      Files.move(marker, aside, StandardCopyOption.REPLACE_EXISTING);
      AtomicFiles.fsyncDir(dir);
      return Optional.of(new Undone(null, List.of(), aside + ": " + e.getMessage()));
    }
    List<String> names = new ArrayList<>();
    for (Restore r : restores) {
      if (r.content() == null) {
        Files.deleteIfExists(r.file());
      } else {
        AtomicFiles.write(r.file(), r.content());
      }
      names.add(r.file().getFileName().toString());
    }
    AtomicFiles.fsyncDir(dir);
    end(marker);
    return Optional.of(new Undone(m.path("update").asText(), names, null));
  }

  private record Restore(Path file, byte[] content) {}
}
