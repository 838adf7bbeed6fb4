package org.storeedge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.runtime.command.InstalledModels;
import org.storeedge.runtime.command.ModelPackage;

class DetectCommandTest {
  private static final Path PHOTO = Path.of("/usr/share/darknet/data/person.jpg");
  private static final String MODELS = Path.of("../../vision/models").toString();
  private final Cli cli = new Cli();

  @Test
  void findsThePersonInARealPhotoAsJsonLines() {
    assertThat(Files.isReadable(PHOTO)).as("darknet sample photos: run scripts/install-test-deps.sh").isTrue();
    int code = cli.run("detect", "--image", PHOTO.toString(), "--models-dir", MODELS);
    assertThat(code).as(cli.err.toString()).isZero();
    String[] lines = cli.out.toString().strip().split("\n");
    assertThat(lines).allMatch(l -> l.matches("\\{\"label\":\"[^\"]+\",\"score\":[0-9.]+,\"box\":\\[[-0-9.,]+\\]\\}"));
    assertThat(cli.out.toString()).contains("\"label\":\"person\"");
  }

  @Test
  void aBadImageOrModelIsBadInput() {
    assertThat(cli.run("detect", "--image", "/no/such.jpg", "--models-dir", MODELS)).isEqualTo(2);
    assertThat(cli.err.toString()).contains("/no/such.jpg");
    assertThat(cli.run("detect", "--image", PHOTO.toString(), "--model", "no-such-model", "--models-dir", MODELS))
        .isEqualTo(2);
    assertThat(cli.err.toString()).contains("no-such-model");
  }

  @Test
  void withAStoreFileANameMeansTheVersionModelUpdateInstalledElseTheShippedModel(@TempDir Path dir) throws Exception {
    Path store = Files.copy(Path.of("../../config/examples/pharmacy.yaml"), dir.resolve("store.yaml"));
    String[] args = {"detect", "--image", PHOTO.toString(), "--model", "sim-person", "--models-dir", MODELS,
        "--config", store.toString()};
    assertThat(cli.run(args)).as(cli.err.toString()).isZero();
    assertThat(cli.err.toString()).contains("model sim-person from " + Path.of(MODELS, "sim-person"));

    // a version installed under the store's data directory, as model-update leaves it
    InstalledModels installed = new InstalledModels(InstalledModels.rootFor(dir.resolve("data/storeedge.db")));
    ModelPackage pkg = ModelPackage.read(ModelPackage.zip(Path.of(MODELS, "sim-person")));
    Path version = installed.write(pkg, "7-" + pkg.sha256().substring(0, 12));
    installed.useOnTrial("sim-person", version.getFileName().toString(), "model-update sequence 7");
    installed.confirm("sim-person");
    Cli again = new Cli();
    assertThat(again.run(args)).as(again.err.toString()).isZero();
    assertThat(again.err.toString()).contains("model sim-person from " + version);
    assertThat(again.out.toString()).isEqualTo(cli.out.toString()); // the same model, so the same detections

    // a broken store file is bad input, with the problem's place
    Files.writeString(store, "store: { id: x }\n");
    Cli broken = new Cli();
    assertThat(broken.run(args)).isEqualTo(2);
    assertThat(broken.err.toString()).contains("store.yaml");
  }
}
