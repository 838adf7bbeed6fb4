package org.storeedge.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
  @TempDir
  Path dir;

  private Path model(String name, String properties) throws IOException {
    Path m = Files.createDirectories(dir.resolve(name));
    Files.writeString(m.resolve("model.properties"), properties);
    Files.writeString(m.resolve("labels.txt"), "background\nperson\n");
    Files.write(m.resolve("model.onnx"), new byte[] {1});
    return m;
  }

  @Test
  void theShippedSsdModelDescribesItsInputAndDecoder() {
    DetectorConfig c = TestModels.ssd();
    assertThat(c.inputWidth()).isEqualTo(300);
    assertThat(c.layout()).isEqualTo(DetectorConfig.Layout.NCHW);
    assertThat(c.colourOrder()).isEqualTo(DetectorConfig.ColourOrder.RGB);
    assertThat(c.decoder()).isInstanceOf(SsdDecoder.class);
    assertThat(((SsdDecoder) c.decoder()).anchors().count()).isEqualTo(1917);
    assertThat(c.labels()).hasSize(24).contains("person", "bottle", "box", "mug", "book");
    assertThat(TestModels.registry().names()).contains(TestModels.SSD);
  }

  @Test
  void resolvesByNameAndByDirectory() throws IOException {
    Path m = model("tiny", "input.width=64\ninput.height=32\ndecoder=yolov8\ninput.resize=letterbox\nthreshold.score=0.3\n");
    ModelRegistry r = new ModelRegistry(dir);
    DetectorConfig byName = r.resolve("tiny");
    assertThat(byName.inputWidth()).isEqualTo(64);
    assertThat(byName.inputHeight()).isEqualTo(32);
    assertThat(byName.resize()).isEqualTo(ImageTransform.Mode.LETTERBOX);
    assertThat(byName.scoreThreshold()).isEqualTo(0.3f);
    assertThat(byName.decoder()).isEqualTo(new YoloDecoder(YoloDecoder.Version.V8, 2, 0));
    assertThat(r.resolve(m.toString()).modelFile()).isEqualTo(byName.modelFile());
    assertThat(r.names()).containsExactly("tiny");
  }

  @Test
  void anUnknownModelNamesTheKnownOnes() throws IOException {
    model("tiny", "input.width=64\ninput.height=64\ndecoder=yolov5\n");
    assertThatThrownBy(() -> new ModelRegistry(dir).resolve("nope")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown model 'nope'").hasMessageContaining("[tiny]");
  }

  @Test
  void aBadValueNamesTheFileTheKeyAndTheValue() throws IOException {
    model("bad", "input.width=64\ninput.height=sixty\ndecoder=yolov5\n");
    assertThatThrownBy(() -> new ModelRegistry(dir).resolve("bad")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model.properties: input.height: must be an integer (got: sixty)");
  }

  @Test
  void unknownKeysAndDecodersAreErrors() throws IOException {
    model("typo", "input.width=64\ninput.height=64\ndecoder=yolov5\ninput.widht=3\n");
    model("dec", "input.width=64\ninput.height=64\ndecoder=detr\n");
    ModelRegistry r = new ModelRegistry(dir);
    assertThatThrownBy(() -> r.resolve("typo")).hasMessageContaining("input.widht: unknown key");
    assertThatThrownBy(() -> r.resolve("dec")).hasMessageContaining("decoder: must be ssd, blaze, yolov5, yolov8 or yolov11");
  }

  @Test
  void aMissingModelFileSaysHowToMakeIt() throws IOException {
    Path m = model("gone", "input.width=64\ninput.height=64\ndecoder=yolov5\n");
    Files.delete(m.resolve("model.onnx"));
    assertThatThrownBy(() -> new ModelRegistry(dir).resolve("gone")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model.onnx is missing").hasMessageContaining("scripts/install-test-deps.sh");
  }
}
