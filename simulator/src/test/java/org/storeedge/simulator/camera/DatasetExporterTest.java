package org.storeedge.simulator.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetExporterTest {

  @Test
  void writesImagesAndYoloLabelsReproducibly(@TempDir Path dir) throws Exception {
    Path store = Path.of("../config/examples/demo-store.yaml");
    DatasetExporter.Options a = DatasetExporter.parse(new String[] {"--store", store.toString(), "--out",
        dir.resolve("a").toString(), "--frames", "12", "--seed", "3", "--width", "160", "--height", "120", "--block", "4"});
    DatasetExporter.Options b = DatasetExporter.parse(new String[] {"--store", store.toString(), "--out",
        dir.resolve("b").toString(), "--frames", "12", "--seed", "3", "--width", "160", "--height", "120", "--block", "4"});
    int labelled = DatasetExporter.export(a, null);
    assertThat(DatasetExporter.export(b, null)).isEqualTo(labelled);
    assertThat(labelled).isGreaterThan(0);
    int lines = 0;
    for (int i = 0; i < 12; i++) {
      String name = String.format("%06d", i);
      byte[] image = Files.readAllBytes(dir.resolve("a/images/" + name + ".ppm"));
      assertThat(new String(image, 0, 15, "US-ASCII")).startsWith("P6\n160 120\n255\n");
      assertThat(image.length).isEqualTo(15 + 160 * 120 * 3);
      assertThat(Files.readAllBytes(dir.resolve("b/images/" + name + ".ppm"))).isEqualTo(image);
      List<String> labels = Files.readAllLines(dir.resolve("a/labels/" + name + ".txt"));
      for (String l : labels) {
        String[] v = l.split(" ");
        assertThat(v).hasSize(5);
        assertThat(v[0]).isEqualTo("0");
        for (int k = 1; k < 5; k++) {
          assertThat(Double.parseDouble(v[k])).isBetween(0.0, 1.0);
        }
      }
      lines += labels.size();
      assertThat(dir.resolve("a/ignore/" + name + ".txt")).exists();
    }
    assertThat(lines).isEqualTo(labelled);
    assertThat(Files.readAllLines(dir.resolve("a/frames.csv"))).hasSize(13);
  }

  @Test
  void badArgumentsAreClearErrors() {
    assertThatThrownBy(() -> DatasetExporter.parse(new String[] {"--out", "x"})).hasMessageContaining("--store and --out");
    assertThatThrownBy(() -> DatasetExporter.parse(new String[] {"--store", "s", "--out", "x", "--frames", "many"}))
        .hasMessageContaining("--frames needs a number");
    assertThatThrownBy(() -> DatasetExporter.parse(new String[] {"--store", "s", "--out", "x", "--cameras", "fish"}))
        .hasMessageContaining("random, corners or overhead");
  }

  @Test
  void overheadCamerasAlternateRandomCeilingPosesWithTheStoresCeilingGrid(@TempDir Path dir) throws Exception {
    Path store = Path.of("../config/examples/demo-store.yaml");
    DatasetExporter.Options o = DatasetExporter.parse(new String[] {"--store", store.toString(), "--out",
        dir.toString(), "--frames", "8", "--seed", "4", "--width", "160", "--height", "120", "--block", "2",
        "--cameras", "overhead", "--extras", "6", "--extra-share", "1"});
    assertThat(DatasetExporter.export(o, null)).isPositive();
    List<String> rows = Files.readAllLines(dir.resolve("frames.csv"));
    assertThat(rows).hasSize(9);
    for (int i = 1; i <= 8; i++) {
      double pitch = Double.parseDouble(rows.get(i).split(",")[5]);
      int block = (i - 1) / 2;
      if (block % 2 == 1) {
        assertThat(pitch).as("grid camera, frame %d", i - 1).isEqualTo(90.0);
      } else {
        assertThat(pitch).as("random ceiling camera, frame %d", i - 1).isBetween(70.0, 90.0);
      }
    }
  }

  @Test
  void shoppersAtShelvesAndLowerVisibilityGiveMoreLabelsAndTheNewOptionsAreChecked(@TempDir Path dir) throws Exception {
    Path store = Path.of("../config/examples/demo-store.yaml");
    String[] base = {"--store", store.toString(), "--frames", "12", "--seed", "5", "--width", "160", "--height", "120",
        "--block", "4", "--cameras", "corners", "--extras", "6", "--extra-share", "1"};
    DatasetExporter.Options plain = DatasetExporter.parse(concat(base, "--out", dir.resolve("p").toString()));
    DatasetExporter.Options recipe = DatasetExporter.parse(concat(base, "--out", dir.resolve("r").toString(),
        "--at-shelf", "1", "--min-visible", "0.4", "--ignore-below", "0.2"));
    assertThat(recipe.atShelf()).isEqualTo(1.0);
    assertThat(recipe.minVisible()).isEqualTo(0.4);
    int plainLabels = DatasetExporter.export(plain, null);
    int recipeLabels = DatasetExporter.export(recipe, null);
    assertThat(plainLabels).isPositive();
    assertThat(recipeLabels).isPositive();
    // the same frames rendered again are byte for byte the same
    DatasetExporter.Options again = DatasetExporter.parse(concat(base, "--out", dir.resolve("r2").toString(),
        "--at-shelf", "1", "--min-visible", "0.4", "--ignore-below", "0.2"));
    assertThat(DatasetExporter.export(again, null)).isEqualTo(recipeLabels);
    assertThat(Files.readAllBytes(dir.resolve("r2/images/000007.ppm")))
        .isEqualTo(Files.readAllBytes(dir.resolve("r/images/000007.ppm")));
    assertThatThrownBy(() -> DatasetExporter.parse(concat(base, "--out", "x", "--at-shelf", "1.5")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DatasetExporter.parse(concat(base, "--out", "x", "--min-visible", "0.3", "--ignore-below",
        "0.5"))).isInstanceOf(IllegalArgumentException.class);
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
