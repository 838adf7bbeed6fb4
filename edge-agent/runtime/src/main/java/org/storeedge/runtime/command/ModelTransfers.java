package org.storeedge.runtime.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Model archives that arrive in pieces, for brokers that cap a message far below a model's size
 * (AWS IoT Core: 128 KB). The cloud sends the archive as unsigned {@code model-chunk} commands,
 *
 * <pre>
 * {"sha256": "hex of the whole archive", "index": 0, "count": 8, "data": base64(bytes of chunk 0),
 *  "chunkSha256": "hex of chunk 0's bytes"}
 * </pre>
 *
 * and then the signed {@code model-update} whose body, instead of the archive, is its manifest:
 *
 * <pre>
 * {"transfer": "chunks", "sha256": "hex of the whole archive", "bytes": 731204, "chunks": 8}
 * </pre>
 *
 * <p>The chunks need no signature of their own: the signed manifest names the archive's sha256,
 * and the chunks are used only when the archive they make up has exactly that digest and size.
 * {@code chunkSha256} (optional) is each chunk's own digest: a chunk whose bytes do not match it
 * was changed on the way (a relay, a bridge, a bad disk cache) and is refused as {@code corrupt}
 * before it is kept, so that only that piece is sent again rather than, once the archive's digest
 * fails, every piece.
 * Until then they are kept on disk, one file per chunk under
 * {@code <data directory>/model-transfers/<sha256>/}, written atomically. A transfer survives
 * restarts and power cuts, and is resumable: a chunk sent again replaces the same file, and every
 * reply lists the chunks still missing, so a sender that was cut off sends only those.
 *
 * <p>Bounds, since chunks are unsigned: an archive of at most {@link
 * SignedUpdate#MAX_MODEL_BODY_BYTES} in at most {@link #MAX_CHUNKS} chunks, and at most {@link
 * #MAX_TRANSFERS} archives at once. A chunk of a new archive beyond that evicts the transfer
 * touched longest ago, which is logged and counted by the caller. A transfer is deleted once its
 * manifest has been applied or refused.
 */
public final class ModelTransfers {
  /** Most chunks an archive may be cut into. */
  public static final int MAX_CHUNKS = 4096;
  /** Archives being received at once. */
  public static final int MAX_TRANSFERS = 3;
  /** Missing chunk indexes a reply lists (the count is always given). */
  static final int MAX_LISTED_MISSING = 1000;
  /** Free disk space a chunk must leave behind it, bytes. */
  static final long MIN_FREE_BYTES = 64L << 20;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final String COUNT = "count";

  /** One chunk as {@code model-chunk} carries it. */
  public record Chunk(String sha256, int index, int count, byte[] data) {
    /**
     * @throws CommandRejected {@code malformed}: not the JSON above; {@code oversized}: too many
     *     chunks, or a chunk larger than a whole archive may be; {@code corrupt}: its bytes are not
     *     those its {@code chunkSha256} names
     */
    public static Chunk parse(byte[] payload) throws CommandRejected {
      JsonNode n = object(payload, "payload", "{sha256, index, count, data}");
      String sha = hexDigest(n);
      JsonNode index = n.get("index");
      JsonNode count = n.get("count");
      JsonNode data = n.get("data");
      List<String> problems = new ArrayList<>();
      if (count == null || !count.canConvertToExactIntegral() || count.asLong() < 1) {
        problems.add("count: the number of chunks, a positive integer");
      } else if (count.asLong() > MAX_CHUNKS) {
        throw new CommandRejected("oversized", "count is " + count.asLong() + " chunks (max " + MAX_CHUNKS + ")");
      }
      if (index == null || !index.canConvertToExactIntegral() || index.asLong() < 0
          || count != null && count.canConvertToExactIntegral() && index.asLong() >= count.asLong()) {
        problems.add("index: the chunk's position, 0 to count - 1");
      }
      if (data == null || !data.isTextual() || data.asText().isEmpty()) {
        problems.add("data: the chunk's bytes in base64");
      }
      if (sha == null) {
        problems.add("sha256: the whole archive's SHA-256, 64 lower-case hex digits");
      }
      JsonNode own = n.get(CHUNK_SHA256);
      if (own != null && !(own.isTextual() && SHA256.matcher(own.asText()).matches())) {
        problems.add("chunkSha256: the chunk's own SHA-256, 64 lower-case hex digits (or leave it out)");
      }
      if (!problems.isEmpty()) {
        throw new CommandRejected("malformed", "not a model chunk", problems);
      }
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(data.asText());
      } catch (IllegalArgumentException e) {
        throw new CommandRejected("malformed", "data is not base64: " + e.getMessage());
      }
      if (bytes.length > SignedUpdate.MAX_MODEL_BODY_BYTES) {
        throw new CommandRejected("oversized", "chunk is " + bytes.length + " bytes, more than a whole model ("
            + SignedUpdate.MAX_MODEL_BODY_BYTES + ")");
      }
      if (own != null && !ModelPackage.sha256(bytes).equals(own.asText())) {
        throw new CommandRejected("corrupt", "chunk " + index.asInt() + " of " + sha + " has the SHA-256 "
            + ModelPackage.sha256(bytes) + ", not its chunkSha256 " + own.asText() + ": it was changed on the way and "
            + "was not kept; send it again");
      }
      return new Chunk(sha, index.asInt(), count.asInt(), bytes);
    }

    /** The {@code model-chunk} payload of this chunk, with its own digest. */
    public byte[] payload() {
      return ("{\"sha256\":\"" + sha256 + "\",\"index\":" + index + ",\"count\":" + count + ",\"data\":\""
          + Base64.getEncoder().encodeToString(data) + "\",\"" + CHUNK_SHA256 + "\":\"" + ModelPackage.sha256(data) + "\"}")
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  private static final String CHUNK_SHA256 = "chunkSha256";

  /** The body of a signed {@code model-update} that names a chunked archive. */
  public record Manifest(String sha256, long bytes, int chunks) {
    /** Whether a signed model body is a manifest (JSON) rather than the archive itself (ZIP). */
    public static boolean is(byte[] body) {
      for (byte b : body) {
        if (!Character.isWhitespace(b)) {
          return b == '{';
        }
      }
      return false;
    }

    /** @throws CommandRejected {@code invalid}: not a manifest of a possible archive */
    public static Manifest parse(byte[] body) throws CommandRejected {
      JsonNode n;
      try {
        n = object(body, "the signed model body", "{transfer: chunks, sha256, bytes, chunks}");
      } catch (CommandRejected e) {
        throw new CommandRejected("invalid", e.getMessage());
      }
      List<String> problems = new ArrayList<>();
      if (!"chunks".equals(n.path("transfer").asText())) {
        problems.add("transfer: must be \"chunks\"");
      }
      String sha = hexDigest(n);
      if (sha == null) {
        problems.add("sha256: the archive's SHA-256, 64 lower-case hex digits");
      }
      JsonNode bytes = n.get("bytes");
      if (bytes == null || !bytes.canConvertToExactIntegral() || bytes.asLong() < 1
          || bytes.asLong() > SignedUpdate.MAX_MODEL_BODY_BYTES) {
        problems.add("bytes: the archive's size, 1 to " + SignedUpdate.MAX_MODEL_BODY_BYTES);
      }
      JsonNode chunks = n.get("chunks");
      if (chunks == null || !chunks.canConvertToExactIntegral() || chunks.asLong() < 1 || chunks.asLong() > MAX_CHUNKS) {
        problems.add("chunks: the number of chunks, 1 to " + MAX_CHUNKS);
      }
      if (!problems.isEmpty()) {
        throw new CommandRejected("invalid", "not a model manifest", problems);
      }
      return new Manifest(sha, bytes.asLong(), chunks.asInt());
    }

    /** The manifest of {@code archive} cut into chunks of {@code chunkBytes}. */
    public static byte[] of(byte[] archive, int chunkBytes) {
      int chunks = (archive.length + chunkBytes - 1) / chunkBytes;
      return ("{\"transfer\":\"chunks\",\"sha256\":\"" + ModelPackage.sha256(archive) + "\",\"bytes\":" + archive.length
          + ",\"chunks\":" + chunks + "}").getBytes(StandardCharsets.UTF_8);
    }
  }

  /**
   * What a transfer holds after a chunk.
   *
   * @param missing the first {@link #MAX_LISTED_MISSING} missing indexes
   * @param evicted the sha256 of a transfer deleted to make room for this one, if any
   */
  public record Status(String sha256, int received, int count, long bytes, List<Integer> missing, int missingCount,
      Optional<String> evicted) {
    public boolean complete() {
      return missingCount == 0;
    }
  }

  private final Path root;

  public ModelTransfers(Path root) {
    this.root = root;
  }

  /**
   * Keeps a chunk.
   *
   * @throws CommandRejected {@code invalid}: its count differs from the transfer's first chunk;
   *     {@code oversized}: the chunks of the archive add up to more than a model may be;
   *     {@code disk-full}: less than {@link #MIN_FREE_BYTES} would be left
   */
  public synchronized Status put(Chunk c) throws CommandRejected, IOException {
    Path dir = root.resolve(c.sha256());
    Optional<String> evicted = Optional.empty();
    if (!Files.isDirectory(dir)) {
      evicted = evictBeyond(MAX_TRANSFERS - 1);
      Files.createDirectories(dir);
      AtomicFiles.write(dir.resolve(COUNT), Integer.toString(c.count()).getBytes(StandardCharsets.UTF_8));
    }
    int count = count(dir);
    if (count != c.count()) {
      throw new CommandRejected("invalid", "chunk " + c.index() + " says the archive " + c.sha256() + " has " + c.count()
          + " chunks; its first chunk said " + count);
    }
    Path part = part(dir, c.index());
    long others = bytes(dir) - (Files.exists(part) ? Files.size(part) : 0);
    if (others + c.data().length > SignedUpdate.MAX_MODEL_BODY_BYTES) {
      throw new CommandRejected("oversized", "the chunks of " + c.sha256() + " add up to more than a model may be ("
          + SignedUpdate.MAX_MODEL_BODY_BYTES + " bytes)");
    }
    long free = Files.getFileStore(dir).getUsableSpace();
    if (free - c.data().length < MIN_FREE_BYTES) {
      throw new CommandRejected("disk-full", "chunk " + c.index() + " would leave " + (free - c.data().length)
          + " bytes free on the data disk (at least " + MIN_FREE_BYTES + " must stay free); send it again later");
    }
    AtomicFiles.write(part, c.data());
    return status(c.sha256(), dir, count, evicted);
  }

  /** A transfer's state, if its first chunk has arrived. */
  public synchronized Optional<Status> status(String sha256) throws IOException {
    Path dir = root.resolve(sha256);
    return Files.isDirectory(dir) ? Optional.of(status(sha256, dir, count(dir), Optional.empty())) : Optional.empty();
  }

  /** Every transfer kept, the one touched last first. */
  public synchronized List<Status> all() throws IOException {
    List<Status> all = new ArrayList<>();
    for (Path dir : transfers()) {
      all.add(status(dir.getFileName().toString(), dir, count(dir), Optional.empty()));
    }
    return all;
  }

  /**
   * The archive a manifest names, from its chunks.
   *
   * @throws CommandRejected {@code incomplete}: chunks are missing (listed; nothing is deleted);
   *     {@code invalid}: the chunks make up another size or digest than the manifest's (the
   *     transfer is deleted: every chunk must be sent again)
   */
  public synchronized byte[] assemble(Manifest m) throws CommandRejected, IOException {
    Path dir = root.resolve(m.sha256());
    if (!Files.isDirectory(dir)) {
      throw new CommandRejected("incomplete", "no chunk of the archive " + m.sha256() + " has arrived: send its "
          + m.chunks() + " model-chunk commands, then the manifest again");
    }
    Status s = status(m.sha256(), dir, count(dir), Optional.empty());
    if (s.count() != m.chunks()) {
      remove(m.sha256());
      throw new CommandRejected("invalid", "the manifest names " + m.chunks() + " chunks, the chunks received say "
          + s.count() + "; they were deleted, send them again");
    }
    if (!s.complete()) {
      throw new CommandRejected("incomplete", s.missingCount() + " of " + s.count() + " chunks of " + m.sha256()
          + " have not arrived: send them, then the manifest again", List.of("missing: " + s.missing()));
    }
    if (s.bytes() != m.bytes()) {
      remove(m.sha256());
      throw new CommandRejected("invalid", "the chunks of " + m.sha256() + " add up to " + s.bytes() + " bytes, the "
          + "manifest says " + m.bytes() + "; they were deleted, send them again");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) m.bytes());
    for (int i = 0; i < m.chunks(); i++) {
      out.writeBytes(Files.readAllBytes(part(dir, i)));
    }
    byte[] archive = out.toByteArray();
    String digest = ModelPackage.sha256(archive);
    if (!digest.equals(m.sha256())) {
      remove(m.sha256());
      throw new CommandRejected("invalid", "the chunks make up an archive whose SHA-256 is " + digest + ", not the "
          + "signed manifest's " + m.sha256() + "; they were deleted, send them again");
    }
    return archive;
  }

  /** Deletes a transfer's chunks (after its manifest was applied or refused). */
  public synchronized void remove(String sha256) throws IOException {
    InstalledModels.deleteTree(root.resolve(sha256));
  }

  private Optional<String> evictBeyond(int keep) throws IOException {
    List<Path> dirs = transfers();
    Optional<String> evicted = Optional.empty();
    for (int i = keep; i < dirs.size(); i++) {
      evicted = Optional.of(dirs.get(i).getFileName().toString());
      InstalledModels.deleteTree(dirs.get(i));
    }
    return evicted;
  }

  /** Transfer directories, the one touched last first. */
  private List<Path> transfers() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(root)) {
      List<Path> dirs = s.filter(Files::isDirectory).filter(d -> SHA256.matcher(d.getFileName().toString()).matches())
          .toList();
      List<Path> sorted = new ArrayList<>(dirs);
      java.util.Map<Path, FileTime> touched = new java.util.HashMap<>();
      for (Path d : dirs) {
        touched.put(d, lastTouched(d));
      }
      sorted.sort(Comparator.comparing((Path d) -> touched.get(d)).reversed().thenComparing(Path::toString));
      return sorted;
    }
  }

  private static FileTime lastTouched(Path dir) throws IOException {
    FileTime last = Files.getLastModifiedTime(dir);
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.toList()) {
        FileTime t = Files.getLastModifiedTime(f);
        if (t.compareTo(last) > 0) {
          last = t;
        }
      }
    }
    return last;
  }

  private static Status status(String sha256, Path dir, int count, Optional<String> evicted) throws IOException {
    List<Integer> missing = new ArrayList<>();
    int missingCount = 0;
    long bytes = 0;
    for (int i = 0; i < count; i++) {
      Path p = part(dir, i);
      if (Files.exists(p)) {
        bytes += Files.size(p);
      } else {
        missingCount++;
        if (missing.size() < MAX_LISTED_MISSING) {
          missing.add(i);
        }
      }
    }
    return new Status(sha256, count - missingCount, count, bytes, List.copyOf(missing), missingCount, evicted);
  }

  private static long bytes(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      long n = 0;
      for (Path f : s.filter(f -> f.getFileName().toString().endsWith(".part")).toList()) {
        n += Files.size(f);
      }
      return n;
    }
  }

  private static int count(Path dir) throws IOException {
    try {
      return Integer.parseInt(Files.readString(dir.resolve(COUNT), StandardCharsets.UTF_8).strip());
    } catch (NumberFormatException e) {
      throw new IOException(dir.resolve(COUNT) + " is not a number of chunks", e);
    }
  }

  private static Path part(Path dir, int index) {
    return dir.resolve(String.format("%05d.part", index));
  }

  private static JsonNode object(byte[] payload, String what, String shape) throws CommandRejected {
    JsonNode n;
    try {
      n = JSON.readTree(payload);
    } catch (IOException e) {
      throw new CommandRejected("malformed", what + " is not JSON " + shape + ": " + e.getMessage());
    }
    if (n == null || !n.isObject()) {
      throw new CommandRejected("malformed", what + " must be a JSON object " + shape);
    }
    return n;
  }

  private static String hexDigest(JsonNode n) {
    String s = n.path("sha256").asText("");
    return SHA256.matcher(s).matches() ? s : null;
  }
}
