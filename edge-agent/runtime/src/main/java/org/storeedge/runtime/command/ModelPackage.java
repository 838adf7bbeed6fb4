package org.storeedge.runtime.command;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A detector model as the signed {@code model-update} command carries it: a ZIP archive of one
 * model directory, as {@code cd vision/models && zip -r sim-person.zip sim-person} makes it. Every
 * entry lies in one top-level directory, whose name is the model's name; inside it only plain files
 * ({@code model.properties}, the {@code .onnx} file and the labels file it names, any notes), no
 * sub-directories.
 *
 * <p>Read defensively, since it is what the cloud sends: at most {@link #MAX_ENTRIES} entries and
 * {@link #MAX_UNPACKED_BYTES} unpacked (an archive that inflates past that is refused while it is
 * read, not after), names restricted to letters, digits, '.', '-' and '_' (no path can leave the
 * model's directory), no duplicates.
 *
 * @param name the model's name (its directory)
 * @param files file name to contents, sorted by name
 * @param sha256 hex digest of the archive as received
 */
public record ModelPackage(String name, Map<String, byte[]> files, String sha256) {
  public static final int MAX_ENTRIES = 32;
  public static final long MAX_UNPACKED_BYTES = 96L << 20;
  private static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  public ModelPackage {
    files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
  }

  /**
   * Unpacks and checks an archive.
   *
   * @throws CommandRejected {@code invalid}: not a ZIP archive, entries outside one model
   *     directory, unsafe or duplicate names, no {@code model.properties}; {@code oversized}: too
   *     many entries or bytes
   */
  public static ModelPackage read(byte[] zip) throws CommandRejected {
    String name = null;
    Map<String, byte[]> files = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    long total = 0;
    int entries = 0;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        if (++entries > MAX_ENTRIES) {
          throw new CommandRejected("oversized", "the model archive has more than " + MAX_ENTRIES + " entries");
        }
        String path = e.getName();
        int slash = path.indexOf('/');
        String dir = slash < 0 ? "" : path.substring(0, slash);
        String file = slash < 0 ? path : path.substring(slash + 1);
        if (slash < 0 || !MODEL_NAME.matcher(dir).matches()) {
          problems.add(path + ": every entry must lie in one directory named after the model (lower-case letters, "
              + "digits, '.', '-', '_'), e.g. sim-person/model.onnx");
          continue;
        }
        if (name == null) {
          name = dir;
        } else if (!name.equals(dir)) {
          problems.add(path + ": a second top-level directory (the archive holds one model, " + name + ")");
          continue;
        }
        if (file.isEmpty() && e.isDirectory()) {
          continue; // the model's directory itself
        }
        if (e.isDirectory() || !FILE_NAME.matcher(file).matches()) {
          problems.add(path + ": only plain files directly in the model's directory, named with letters, digits, "
              + "'.', '-', '_'");
          continue;
        }
        byte[] content = readAtMost(in, MAX_UNPACKED_BYTES - total);
        if (content == null) {
          throw new CommandRejected("oversized", "the model archive unpacks to more than " + MAX_UNPACKED_BYTES
              + " bytes");
        }
        total += content.length;
        if (files.put(file, content) != null) {
          problems.add(path + ": appears twice");
        }
      }
    } catch (ZipException e) {
      throw new CommandRejected("invalid", "the model is not a readable ZIP archive: " + e.getMessage());
    } catch (IOException e) {
      throw new CommandRejected("invalid", "the model archive cannot be read: " + e);
    }
    if (name == null && problems.isEmpty()) {
      throw new CommandRejected("invalid", "the model archive is empty (or not a ZIP archive)");
    }
    if (problems.isEmpty() && !files.containsKey("model.properties")) {
      problems.add(name + "/model.properties: missing (it describes the model's input, decoder and files)");
    }
    if (!problems.isEmpty()) {
      throw new CommandRejected("invalid", problems.size() + " problem(s) in the model archive", problems);
    }
    return new ModelPackage(name, files, sha256(zip));
  }

  /** The whole stream, or null when it holds more than {@code max} bytes. */
  private static byte[] readAtMost(InputStream in, long max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    long n = 0;
    int r;
    while ((r = in.read(buf)) > 0) {
      n += r;
      if (n > max) {
        return null;
      }
      out.write(buf, 0, r);
    }
    return out.toByteArray();
  }

  /** Total bytes of the files. */
  public long bytes() {
    return files.values().stream().mapToLong(b -> b.length).sum();
  }

  /**
   * Archives the plain files of a model directory as {@link #read} takes them (the directory's
   * name is the model's); hidden files are left out. Each entry carries its file's modification
   * time, not the time of archiving, so archiving unchanged files again gives the same bytes: a
   * chunked transfer cut off can be resumed. For tooling and tests.
   */
  public static byte[] zip(Path modelDir) throws IOException {
    String name = modelDir.toAbsolutePath().normalize().getFileName().toString();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes); Stream<Path> list = Files.list(modelDir)) {
      for (Path f : list.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
          .sorted().toList()) {
        ZipEntry e = new ZipEntry(name + "/" + f.getFileName());
        e.setTime(Files.getLastModifiedTime(f).toMillis()); // the same files make the same archive (and digest)
        out.putNextEntry(e);
        out.write(Files.readAllBytes(f));
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** Hex SHA-256 of {@code data}. */
  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
