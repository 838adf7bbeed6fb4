package org.storeedge.runtime.command;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.storeedge.vision.onnx.DetectorConfig;
import org.storeedge.vision.onnx.ModelRegistry;

/**
 * Models installed on this gateway by signed {@code model-update} commands, kept under the data
 * directory ({@code <directory of storage.database>/models}), apart from the models shipped with
 * the agent ({@code vision/models} under its home), which are never written to:
 *
 * <pre>
 * models/&lt;name&gt;/&lt;version&gt;/   one directory per installed version (model.properties, .onnx, labels)
 * models/&lt;name&gt;/current       the version in use (one line), replaced atomically
 * models/&lt;name&gt;/current.previous   the version before it, for rolling back
 * models/&lt;name&gt;/current.trial   while a new version's health check runs: what to put back ({@link UpdateTrial})
 * </pre>
 *
 * <p>A version is written in full and fsynced under a temporary name, then renamed into place;
 * switching versions is one atomic replace of {@code current} ({@link AtomicFiles}). A power cut at
 * any moment leaves either the old or the new version in use, never a half-written model, and a new
 * version the agent stopped on before it had run healthily is put back at the next start. A model
 * name installed here is used in place of the shipped model of that name ({@link #resolve}). At
 * most the current and the previous version are kept ({@link #prune}).
 */
public final class InstalledModels {
  static final String CURRENT = "current";

  private final Path root;

  public InstalledModels(Path root) {
    this.root = root;
  }

  /** {@code <directory of storage.database>/models}. */
  public static Path rootFor(Path database) {
    Path db = database.toAbsolutePath();
    return (db.getParent() == null ? db : db.getParent()).resolve("models");
  }

  public Path root() {
    return root;
  }

  /** The version of {@code name} in use, if one is installed here. */
  public Optional<String> currentVersion(String name) throws IOException {
    return version(root.resolve(name).resolve(CURRENT));
  }

  /** The version that was in use before the current one, if any. */
  public Optional<String> previousVersion(String name) throws IOException {
    return version(AtomicFiles.previousOf(root.resolve(name).resolve(CURRENT)));
  }

  private static Optional<String> version(Path pointer) throws IOException {
    if (!Files.isRegularFile(pointer)) {
      return Optional.empty();
    }
    String v = Files.readString(pointer, StandardCharsets.UTF_8).strip();
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  /** The directory of the version of {@code name} in use, if one is installed here and present. */
  public Optional<Path> current(String name) throws IOException {
    if (!safeName(name)) {
      return Optional.empty();
    }
    Optional<String> v = currentVersion(name);
    return v.map(s -> root.resolve(name).resolve(s)).filter(d -> Files.isRegularFile(d.resolve(ModelRegistry.PROPERTIES)));
  }

  /**
   * The model {@code nameOrPath}: the version installed here when there is one, else what {@code
   * shipped} resolves (a shipped model's name or a model directory's path).
   */
  public DetectorConfig resolve(String nameOrPath, ModelRegistry shipped) {
    try {
      Optional<Path> installed = current(nameOrPath);
      if (installed.isPresent()) {
        return ModelRegistry.load(installed.get(), nameOrPath);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("installed model " + nameOrPath + " cannot be read: " + e.getMessage(), e);
    }
    return shipped.resolve(nameOrPath);
  }

  private static boolean safeName(String name) {
    return name != null && !name.isBlank() && !name.contains("/") && !name.contains("\\") && !name.startsWith(".");
  }

  /**
   * Writes {@code p} as version {@code version} of its model (not yet in use), every file and the
   * directory fsynced; returns its directory. A version directory left over from an earlier,
   * interrupted attempt is replaced.
   */
  public Path write(ModelPackage p, String version) throws IOException {
    Path modelDir = Files.createDirectories(root.resolve(p.name()));
    Path dir = modelDir.resolve(version);
    Path tmp = modelDir.resolve("." + version + ".partial");
    deleteTree(tmp);
    Files.createDirectories(tmp);
    for (Map.Entry<String, byte[]> f : p.files().entrySet()) {
      try (FileChannel ch = FileChannel.open(tmp.resolve(f.getKey()), StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(f.getValue());
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
    }
    fsyncDir(tmp);
    deleteTree(dir);
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    fsyncDir(modelDir);
    return dir;
  }

  /**
   * Puts {@code version} in use (the one before it is kept as the previous version) on trial: until
   * {@link #confirm}, a restart of the agent finds it unconfirmed and puts the version before it
   * back ({@link #undoInterrupted}).
   *
   * @param update what switched it, for the log and the alert if it is undone
   */
  public void useOnTrial(String name, String version, String update) throws IOException {
    Path current = root.resolve(name).resolve(CURRENT);
    UpdateTrial.begin(UpdateTrial.markerFor(current), update, List.of(current, AtomicFiles.previousOf(current)));
    AtomicFiles.replace(current, (version + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The version put in use on trial ran healthily: it stays. */
  public void confirm(String name) throws IOException {
    UpdateTrial.end(UpdateTrial.markerFor(root.resolve(name).resolve(CURRENT)));
  }

  /**
   * Puts back what was in use before the version on trial (the shipped model when nothing was
   * installed); with no version on trial, the previous version.
   */
  public void rollBack(String name) throws IOException {
    Path current = root.resolve(name).resolve(CURRENT);
    UpdateTrial.rollBack(UpdateTrial.markerFor(current), List.of(current));
  }

  /**
   * At start-up, before any camera loads a model: every version left on trial by an agent that
   * stopped before its health check ended is undone (the version before it back in use, the
   * unconfirmed one deleted).
   */
  public List<UpdateTrial.Undone> undoInterrupted() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<UpdateTrial.Undone> undone = new ArrayList<>();
    List<Path> models;
    try (Stream<Path> s = Files.list(root)) {
      models = s.filter(Files::isDirectory).sorted().toList();
    }
    for (Path m : models) {
      Optional<UpdateTrial.Undone> u = UpdateTrial.undo(UpdateTrial.markerFor(m.resolve(CURRENT)));
      if (u.isPresent()) {
        undone.add(u.get());
        prune(m.getFileName().toString());
      }
    }
    return undone;
  }

  /** Deletes the versions of {@code name} other than the current and the previous one, and leftovers of interrupted writes. */
  public void prune(String name) throws IOException {
    Path modelDir = root.resolve(name);
    if (!Files.isDirectory(modelDir)) {
      return;
    }
    Set<String> keep = new java.util.HashSet<>();
    currentVersion(name).ifPresent(keep::add);
    previousVersion(name).ifPresent(keep::add);
    try (Stream<Path> s = Files.list(modelDir)) {
      for (Path d : s.filter(Files::isDirectory).toList()) {
        if (!keep.contains(d.getFileName().toString())) {
          deleteTree(d);
        }
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void fsyncDir(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some file systems cannot open a directory for sync; the rename itself is still atomic
    }
  }
}
