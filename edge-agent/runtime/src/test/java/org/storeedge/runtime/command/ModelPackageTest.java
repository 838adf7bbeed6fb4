package org.storeedge.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.vision.onnx.ModelRegistry;

/** Model archives as {@code model-update} carries them, and their versions on a gateway's disk. */
class ModelPackageTest {
  private static final String PROPS = "input.width=64\ninput.height=64\ndecoder=yolov8\n";

  @TempDir
  Path dir;

  /** The entries in the map's iteration order. */
  private static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(b)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue());
        out.closeEntry();
      }
    }
    return b.toByteArray();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String problems(byte[] archive) {
    try {
      ModelPackage.read(archive);
      return "accepted";
    } catch (CommandRejected e) {
      return e.reason() + ": " + e;
    }
  }

  @Test
  void aModelDirectoryRoundTripsThroughItsArchive() throws Exception {
    Path m = Files.createDirectories(dir.resolve("tiny"));
    Files.writeString(m.resolve("model.properties"), PROPS);
    Files.writeString(m.resolve("labels.txt"), "person\n");
    Files.write(m.resolve("model.onnx"), new byte[] {1, 2, 3});
    byte[] archive = ModelPackage.zip(m);

    ModelPackage p = ModelPackage.read(archive);

    assertThat(p.name()).isEqualTo("tiny");
    assertThat(p.files().keySet()).containsExactly("labels.txt", "model.onnx", "model.properties");
    assertThat(p.files().get("model.onnx")).containsExactly(1, 2, 3);
    assertThat(p.bytes()).isEqualTo(3 + PROPS.length() + "person\n".length());
    assertThat(p.sha256()).hasSize(64).isEqualTo(ModelPackage.sha256(archive));
  }

  @Test
  void entriesThatCouldLeaveTheModelsDirectoryOrMixModelsAreRefusedEachNamed() throws Exception {
    // in this order in the archive: the first entry's directory names the model
    Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
    entries.put("tiny/model.properties", bytes(PROPS));
    entries.put("tiny/../x", bytes("x"));
    entries.put("other/labels.txt", bytes("a"));
    entries.put("tiny/sub/model.onnx", bytes("b"));
    String r = problems(zip(entries));
    assertThat(r).startsWith("invalid").contains("tiny/../x").contains("other/labels.txt: a second top-level directory")
        .contains("tiny/sub/model.onnx");
    assertThat(problems(zip(Map.of("model.properties", bytes(PROPS))))).startsWith("invalid")
        .contains("every entry must lie in one directory");
    assertThat(problems(zip(Map.of("/etc/model.properties", bytes(PROPS))))).startsWith("invalid");
    assertThat(problems(zip(Map.of("Tiny/model.properties", bytes(PROPS))))).startsWith("invalid");
    assertThat(problems(zip(Map.of("tiny/labels.txt", bytes("a"))))).startsWith("invalid")
        .contains("tiny/model.properties: missing");
    assertThat(problems(bytes("not a zip"))).startsWith("invalid");
    assertThat(problems(new byte[0])).startsWith("invalid");
  }

  @Test
  void anArchiveThatInflatesPastTheLimitIsRefusedWhileItIsRead() throws Exception {
    // highly compressible: a small archive that unpacks to more than the limit
    byte[] zeros = new byte[(int) (ModelPackage.MAX_UNPACKED_BYTES / 2 + 1)];
    byte[] bomb = zip(new java.util.TreeMap<>(Map.of("tiny/a.onnx", zeros, "tiny/b.onnx", zeros,
        "tiny/model.properties", bytes(PROPS))));
    assertThat(bomb.length).isLessThan(1 << 20);
    assertThat(problems(bomb)).startsWith("oversized");
    Map<String, byte[]> many = new java.util.TreeMap<>();
    for (int i = 0; i <= ModelPackage.MAX_ENTRIES; i++) {
      many.put("tiny/f" + i, bytes("x"));
    }
    assertThat(problems(zip(many))).startsWith("oversized");
  }

  @Test
  void versionsAreSwitchedAtomicallyRolledBackAndPruned() throws Exception {
    InstalledModels store = new InstalledModels(dir.resolve("models"));
    ModelRegistry shipped = new ModelRegistry(Files.createDirectories(dir.resolve("shipped")));
    Path s = Files.createDirectories(dir.resolve("shipped").resolve("tiny"));
    Files.writeString(s.resolve("model.properties"), PROPS + "threshold.score=0.3\n");
    Files.writeString(s.resolve("labels.txt"), "person\n");
    Files.write(s.resolve("model.onnx"), new byte[] {9});
    assertThat(store.resolve("tiny", shipped).scoreThreshold()).isEqualTo(0.3f);

    ModelPackage v1 = ModelPackage.read(zip(new java.util.TreeMap<>(Map.of("tiny/model.properties",
        bytes(PROPS + "threshold.score=0.6\n"), "tiny/labels.txt", bytes("person\n"), "tiny/model.onnx", new byte[] {1}))));
    Path d1 = store.write(v1, "1-aaa");
    // written but not in use yet
    assertThat(store.currentVersion("tiny")).isEmpty();
    assertThat(store.resolve("tiny", shipped).scoreThreshold()).isEqualTo(0.3f);
    store.useOnTrial("tiny", "1-aaa", "model-update sequence 1");
    store.confirm("tiny");
    assertThat(store.resolve("tiny", shipped).scoreThreshold()).isEqualTo(0.6f);
    assertThat(store.resolve("tiny", shipped).name()).isEqualTo("tiny");
    assertThat(store.resolve("tiny", shipped).modelFile()).isEqualTo(d1.resolve("model.onnx"));

    ModelPackage v2 = ModelPackage.read(zip(new java.util.TreeMap<>(Map.of("tiny/model.properties",
        bytes(PROPS + "threshold.score=0.7\n"), "tiny/labels.txt", bytes("person\n"), "tiny/model.onnx", new byte[] {2}))));
    // a write cut off by a power cut leaves a partial directory, never a version
    Files.createDirectories(dir.resolve("models").resolve("tiny").resolve(".2-bbb.partial")).resolve("junk");
    store.write(v2, "2-bbb");
    store.useOnTrial("tiny", "2-bbb", "model-update sequence 2");
    assertThat(store.previousVersion("tiny")).contains("1-aaa");
    assertThat(store.resolve("tiny", shipped).scoreThreshold()).isEqualTo(0.7f);
    // the agent stops before the check ends: the next start puts 1-aaa back and deletes 2-bbb
    List<UpdateTrial.Undone> undone = new InstalledModels(dir.resolve("models")).undoInterrupted();
    assertThat(undone).extracting(UpdateTrial.Undone::update).containsExactly("model-update sequence 2");
    assertThat(store.currentVersion("tiny")).contains("1-aaa");
    assertThat(store.previousVersion("tiny")).as("as before the trial: nothing before 1-aaa").isEmpty();
    try (var l = Files.list(dir.resolve("models").resolve("tiny"))) {
      assertThat(l.filter(Files::isDirectory).map(p -> p.getFileName().toString())).containsExactly("1-aaa");
    }
    assertThat(new InstalledModels(dir.resolve("models")).undoInterrupted()).as("undone once").isEmpty();
    // a confirmed version stays across a restart; rolling it back (no trial) puts the one before it back
    store.write(v2, "3-ccc");
    store.useOnTrial("tiny", "3-ccc", "model-update sequence 3");
    store.confirm("tiny");
    assertThat(new InstalledModels(dir.resolve("models")).undoInterrupted()).isEmpty();
    assertThat(store.currentVersion("tiny")).contains("3-ccc");
    store.rollBack("tiny");
    assertThat(store.currentVersion("tiny")).contains("1-aaa");
    // a trial record that cannot be read: rolling back falls back to the version kept as previous
    store.write(v2, "4-ddd");
    store.useOnTrial("tiny", "4-ddd", "model-update sequence 4");
    Files.writeString(dir.resolve("models").resolve("tiny").resolve("current.trial"), "{torn");
    store.rollBack("tiny");
    assertThat(store.currentVersion("tiny")).contains("1-aaa");
    // rolling back the first version installed puts the shipped model back in use
    InstalledModels fresh = new InstalledModels(dir.resolve("models2"));
    fresh.write(v1, "1-aaa");
    fresh.useOnTrial("tiny", "1-aaa", "model-update sequence 1");
    fresh.rollBack("tiny");
    assertThat(fresh.currentVersion("tiny")).isEmpty();
    assertThat(fresh.resolve("tiny", shipped).scoreThreshold()).isEqualTo(0.3f);
    // a name that is a path is never looked up among installed models
    assertThat(fresh.current("../models/tiny")).isEmpty();
  }
}
