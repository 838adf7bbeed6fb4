package org.storeedge.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunks of model archives kept on a real disk until a manifest names them. */
class ModelTransfersTest {
  @TempDir
  Path dir;

  private static byte[] archive(int bytes, long seed) {
    byte[] b = new byte[bytes];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static ModelTransfers.Chunk chunk(byte[] archive, int size, int index) {
    int count = (archive.length + size - 1) / size;
    return new ModelTransfers.Chunk(ModelPackage.sha256(archive), index, count,
        Arrays.copyOfRange(archive, index * size, Math.min(archive.length, (index + 1) * size)));
  }

  private static ModelTransfers.Manifest manifest(byte[] archive, int size) throws CommandRejected {
    return ModelTransfers.Manifest.parse(ModelTransfers.Manifest.of(archive, size));
  }

  @Test
  void chunksInAnyOrderMakeUpTheArchiveAndSurviveARestart() throws Exception {
    byte[] a = archive(10_000, 1);
    ModelTransfers t = new ModelTransfers(dir);
    assertThat(t.put(chunk(a, 3000, 3)).missing()).containsExactly(0, 1, 2);
    t.put(chunk(a, 3000, 1));
    ModelTransfers.Status s = t.put(chunk(a, 3000, 1)); // again: kept once
    assertThat(s.received()).isEqualTo(2);
    assertThat(s.bytes()).isEqualTo(3000 + 1000);
    assertThatThrownBy(() -> t.assemble(manifest(a, 3000))).isInstanceOfSatisfying(CommandRejected.class, e -> {
      assertThat(e.reason()).isEqualTo("incomplete");
      assertThat(e.problems()).containsExactly("missing: [0, 2]");
    });

    // the power goes; the chunks on disk are still there
    ModelTransfers after = new ModelTransfers(dir);
    assertThat(after.status(ModelPackage.sha256(a)).orElseThrow().missing()).containsExactly(0, 2);
    after.put(chunk(a, 3000, 0));
    assertThat(after.put(chunk(a, 3000, 2)).complete()).isTrue();
    assertThat(after.assemble(manifest(a, 3000))).isEqualTo(a);
    after.remove(ModelPackage.sha256(a));
    assertThat(after.all()).isEmpty();
  }

  @Test
  void chunksThatDoNotAddUpToTheManifestAreDeleted() throws Exception {
    byte[] a = archive(5000, 2);
    ModelTransfers t = new ModelTransfers(dir);
    byte[] bad = chunk(a, 2000, 1).data().clone();
    bad[7] ^= 1;
    t.put(chunk(a, 2000, 0));
    t.put(new ModelTransfers.Chunk(ModelPackage.sha256(a), 1, 3, bad));
    t.put(chunk(a, 2000, 2));
    assertThatThrownBy(() -> t.assemble(manifest(a, 2000))).isInstanceOfSatisfying(CommandRejected.class, e -> {
      assertThat(e.reason()).isEqualTo("invalid");
      assertThat(e.getMessage()).contains("not the signed manifest's " + ModelPackage.sha256(a));
    });
    assertThat(t.all()).isEmpty();

    // a manifest that cuts the archive differently from its chunks
    t.put(chunk(a, 2000, 0));
    assertThatThrownBy(() -> t.assemble(manifest(a, 1000))).isInstanceOfSatisfying(CommandRejected.class,
        e -> assertThat(e.getMessage()).contains("names 5 chunks, the chunks received say 3"));
    assertThat(t.all()).isEmpty();
  }

  @Test
  void aChunkThatDisagreesWithItsTransferOrOverfillsItIsRefused() throws Exception {
    byte[] a = archive(5000, 3);
    ModelTransfers t = new ModelTransfers(dir);
    t.put(chunk(a, 2000, 0));
    assertThatThrownBy(() -> t.put(new ModelTransfers.Chunk(ModelPackage.sha256(a), 1, 4, new byte[10])))
        .isInstanceOfSatisfying(CommandRejected.class, e -> assertThat(e.getMessage()).contains("its first chunk said 3"));
    byte[] big = new byte[SignedUpdate.MAX_MODEL_BODY_BYTES - 1000];
    assertThatThrownBy(() -> t.put(new ModelTransfers.Chunk(ModelPackage.sha256(a), 1, 3, big)))
        .isInstanceOfSatisfying(CommandRejected.class, e -> assertThat(e.reason()).isEqualTo("oversized"));
    assertThat(t.status(ModelPackage.sha256(a)).orElseThrow().received()).isEqualTo(1);
  }

  @Test
  void aFourthArchiveEvictsTheTransferTouchedLongestAgo() throws Exception {
    ModelTransfers t = new ModelTransfers(dir);
    byte[][] a = new byte[4][];
    for (int i = 0; i < 3; i++) {
      a[i] = archive(4000, 10 + i);
      t.put(chunk(a[i], 1000, 0));
      // file times, not the order of the calls, say which was touched last
      Path d = dir.resolve(ModelPackage.sha256(a[i]));
      FileTime when = FileTime.fromMillis(1_000_000L * (i + 1));
      try (var files = Files.list(d)) {
        for (Path f : files.toList()) {
          Files.setLastModifiedTime(f, when);
        }
      }
      Files.setLastModifiedTime(d, when);
    }
    a[3] = archive(4000, 13);
    ModelTransfers.Status s = t.put(chunk(a[3], 1000, 0));
    assertThat(s.evicted()).contains(ModelPackage.sha256(a[0]));
    assertThat(t.all()).extracting(ModelTransfers.Status::sha256).containsExactlyInAnyOrder(
        ModelPackage.sha256(a[1]), ModelPackage.sha256(a[2]), ModelPackage.sha256(a[3]));
  }

  @Test
  void payloadsThatAreNotChunksOrManifestsAreRefusedWithWhatIsWrong() {
    String sha = "ab".repeat(32);
    assertThatThrownBy(() -> ModelTransfers.Chunk.parse("nope".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CommandRejected.class, e -> assertThat(e.reason()).isEqualTo("malformed"));
    assertThatThrownBy(() -> ModelTransfers.Chunk.parse(("{\"sha256\":\"XYZ\",\"index\":3,\"count\":3,\"data\":\"\"}")
        .getBytes(StandardCharsets.UTF_8))).isInstanceOfSatisfying(CommandRejected.class, e -> assertThat(e.problems())
            .hasSize(3).anySatisfy(p -> assertThat(p).startsWith("index"))
            .anySatisfy(p -> assertThat(p).startsWith("data")).anySatisfy(p -> assertThat(p).startsWith("sha256")));
    assertThatThrownBy(() -> ModelTransfers.Chunk.parse(("{\"sha256\":\"" + sha + "\",\"index\":0,\"count\":5000,"
        + "\"data\":\"AAAA\"}").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CommandRejected.class, e -> assertThat(e.reason()).isEqualTo("oversized"));
    assertThatThrownBy(() -> ModelTransfers.Chunk.parse(("{\"sha256\":\"" + sha + "\",\"index\":0,\"count\":1,"
        + "\"data\":\"*not base64*\"}").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CommandRejected.class, e -> assertThat(e.getMessage()).contains("base64"));

    byte[] zip = {'P', 'K', 3, 4};
    assertThat(ModelTransfers.Manifest.is(zip)).isFalse();
    assertThat(ModelTransfers.Manifest.is(" {}".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThatThrownBy(() -> ModelTransfers.Manifest.parse(("{\"transfer\":\"whole\",\"sha256\":\"" + sha
        + "\",\"bytes\":0,\"chunks\":2}").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CommandRejected.class, e -> {
          assertThat(e.reason()).isEqualTo("invalid");
          assertThat(e.problems()).hasSize(2);
        });
    ModelTransfers.Chunk c = assertChunk(("{\"sha256\":\"" + sha + "\",\"index\":1,\"count\":2,\"data\":\""
        + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}) + "\"}").getBytes(StandardCharsets.UTF_8));
    assertThat(c.data()).containsExactly(1, 2, 3);
    assertThat(c.index()).isEqualTo(1);
  }

  @Test
  void aChunkWhoseBytesAreNotThoseItsOwnDigestNamesIsRefusedAsCorrupt() throws Exception {
    byte[] a = archive(5_000, 2);
    ModelTransfers.Chunk c = chunk(a, 2000, 1);
    // as the command line sends it: with its own digest, which parses back to the same chunk
    byte[] payload = c.payload();
    ModelTransfers.Chunk back = assertChunk(payload);
    assertThat(back.data()).isEqualTo(c.data());
    assertThat(back.index()).isEqualTo(1);
    assertThat(back.count()).isEqualTo(3);
    // one byte of its data changed on the way (the base64 text of another byte value)
    com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode)
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload);
    byte[] changed = c.data().clone();
    changed[7] ^= 0x01;
    n.put("data", Base64.getEncoder().encodeToString(changed));
    assertThatThrownBy(() -> ModelTransfers.Chunk.parse(n.toString().getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CommandRejected.class, e -> {
          assertThat(e.reason()).isEqualTo("corrupt");
          assertThat(e.getMessage()).contains("chunk 1 of " + ModelPackage.sha256(a)).contains("send it again");
        });
    // a digest that is not one is malformed; leaving it out is allowed (the archive's digest still decides)
    n.put("chunkSha256", "not-a-digest");
    assertThatThrownBy(() -> ModelTransfers.Chunk.parse(n.toString().getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CommandRejected.class, e -> {
          assertThat(e.reason()).isEqualTo("malformed");
          assertThat(e.problems()).singleElement().asString().startsWith("chunkSha256");
        });
    n.remove("chunkSha256");
    assertThat(assertChunk(n.toString().getBytes(StandardCharsets.UTF_8)).data()).isEqualTo(changed);
  }

  private static ModelTransfers.Chunk assertChunk(byte[] payload) {
    try {
      return ModelTransfers.Chunk.parse(payload);
    } catch (CommandRejected e) {
      throw new AssertionError(e.toString(), e);
    }
  }
}
