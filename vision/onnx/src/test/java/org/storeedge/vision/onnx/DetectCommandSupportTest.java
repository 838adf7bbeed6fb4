package org.storeedge.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectCommandSupportTest {
  private static final Pattern LINE = Pattern.compile(
      "\\{\"label\":\"([a-z ]+)\",\"score\":(0\\.\\d+|1\\.0),\"box\":\\[([\\d.]+),([\\d.]+),([\\d.]+),([\\d.]+)]}");

  @TempDir
  Path tmp;

  private final DetectCommandSupport support = new DetectCommandSupport(TestModels.registry());

  @Test
  void printsOneJsonLinePerDetectionWithPixelBoxes() throws Exception {
    TestModels.ssd();
    List<String> lines = support.detectJsonLines(TestModels.darknetPhoto("person.jpg"), null);
    assertThat(lines).isNotEmpty();
    assertThat(lines).allMatch(l -> LINE.matcher(l).matches(), "matches " + LINE);
    Matcher m = lines.stream().map(LINE::matcher).filter(Matcher::matches).filter(x -> x.group(1).equals("person"))
        .findFirst().orElseThrow(() -> new AssertionError("no person in " + lines));
    double x = Double.parseDouble(m.group(3));
    double w = Double.parseDouble(m.group(5));
    // pixels of the 640x424 photo, not normalised coordinates
    assertThat(x).isBetween(150.0, 230.0);
    assertThat(w).isBetween(50.0, 130.0);
  }

  @Test
  void theModelCanBeNamedOrGivenAsADirectory() throws Exception {
    TestModels.ssd();
    Path photo = TestModels.darknetPhoto("dog.jpg");
    assertThat(support.detectJsonLines(photo, TestModels.modelsDir().resolve(TestModels.SSD).toString()))
        .isEqualTo(support.detectJsonLines(photo, TestModels.SSD));
  }

  @Test
  void aMissingImageIsAClearError() {
    Path missing = tmp.resolve("nope.jpg");
    assertThatThrownBy(() -> support.detectJsonLines(missing, null))
        .isInstanceOf(DetectCommandSupport.DetectException.class)
        .hasMessage("cannot read image " + missing + ": no such readable file");
  }

  @Test
  void aFileThatIsNotAnImageIsAClearError() throws Exception {
    TestModels.ssd();
    Path text = Files.writeString(tmp.resolve("notes.jpg"), "not a jpeg");
    assertThatThrownBy(() -> support.detectJsonLines(text, null))
        .isInstanceOf(DetectCommandSupport.DetectException.class)
        .hasMessageContaining("cannot decode image " + text);
  }

  @Test
  void anUnknownModelIsAClearError() {
    assertThatThrownBy(() -> support.detectJsonLines(TestModels.darknetPhoto("dog.jpg"), "yolo-nonexistent"))
        .isInstanceOf(DetectCommandSupport.DetectException.class)
        .hasMessageContaining("unknown model 'yolo-nonexistent'").hasMessageContaining(TestModels.SSD);
  }

  @Test
  void aCorruptModelFileIsAClearError() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("broken"));
    Files.copy(TestModels.modelsDir().resolve(TestModels.SSD).resolve("model.properties"), dir.resolve("model.properties"));
    Files.copy(TestModels.modelsDir().resolve(TestModels.SSD).resolve("labels.txt"), dir.resolve("labels.txt"));
    Files.writeString(dir.resolve("model.onnx"), "garbage");
    assertThatThrownBy(() -> support.detectJsonLines(TestModels.darknetPhoto("dog.jpg"), dir.toString()))
        .isInstanceOf(DetectCommandSupport.DetectException.class)
        .hasMessageContaining("model broken").hasMessageContaining("cannot run");
  }
}
