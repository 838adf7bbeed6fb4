package org.storeedge.runtime.command;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replacing a file so that a crash at any moment leaves either the old or the new version in
 * place, never a torn one: write {@code FILE.new}, fsync it, copy the current version to
 * {@code FILE.previous} (fsynced), rename {@code FILE.new} over {@code FILE} atomically, fsync the
 * directory. {@link #restore} puts {@code FILE.previous} back the same way.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static Path previousOf(Path file) {
    return file.resolveSibling(file.getFileName() + ".previous");
  }

  /** Replaces {@code file} with {@code content}, keeping the current version (if any) as {@code FILE.previous}. */
  public static void replace(Path file, byte[] content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = file.resolveSibling(file.getFileName() + ".new");
    writeSynced(tmp, content);
    if (Files.exists(file)) {
      writeSynced(previousOf(file), Files.readAllBytes(file));
    } else {
      Files.deleteIfExists(previousOf(file)); // "previous" means: there was no file
      fsyncDir(dir);
    }
    move(tmp, file);
    fsyncDir(dir);
  }

  /** Writes {@code file} whole or not at all (no previous version kept). */
  public static void write(Path file, byte[] content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".new");
    writeSynced(tmp, content);
    move(tmp, file);
    fsyncDir(file.toAbsolutePath().getParent());
  }

  /** Removes {@code file}, keeping it as {@code FILE.previous} so {@link #restore} can bring it back. */
  public static void remove(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (Files.exists(file)) {
      writeSynced(previousOf(file), Files.readAllBytes(file));
      Files.delete(file);
    } else {
      Files.deleteIfExists(previousOf(file));
    }
    fsyncDir(dir);
  }

  /**
   * Puts {@code FILE.previous} back as {@code FILE}; with no previous version, removes {@code FILE}
   * (it did not exist before the replace). The previous copy is kept.
   */
  public static void restore(Path file) throws IOException {
    Path prev = previousOf(file);
    Path dir = file.toAbsolutePath().getParent();
    if (Files.exists(prev)) {
      Path tmp = file.resolveSibling(file.getFileName() + ".new");
      writeSynced(tmp, Files.readAllBytes(prev));
      move(tmp, file);
    } else {
      Files.deleteIfExists(file);
    }
    fsyncDir(dir);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot replace " + to + " atomically on this file system: " + e.getMessage(), e);
    }
  }

  private static void writeSynced(Path f, byte[] content) throws IOException {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.wrap(content);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }

  /** Fsyncs {@code dir} so a rename in it survives a power cut (where the file system allows). */
  static void fsyncDir(Path dir) {
    if (dir == null) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some file systems cannot open a directory for sync; the rename itself is still atomic
    }
  }
}
