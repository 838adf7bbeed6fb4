package org.storeedge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DetectCommandTest {
  private static final Path PHOTO = Path.of("/usr/share/darknet/data/person.jpg");
  private static final String MODELS = Path.of("../../vision/models").toString();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int cli(String... args) {
    return Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        args);
  }

  @Test
  void findsThePersonInARealPhotoAsJsonLines() {
    assertThat(Files.isReadable(PHOTO)).as("darknet sample photos: run scripts/install-test-deps.sh").isTrue();
    int code = cli("detect", "--image", PHOTO.toString(), "--models-dir", MODELS);
    assertThat(code).as(err.toString()).isZero();
    String[] lines = out.toString().strip().split("\n");
    assertThat(lines).allMatch(l -> l.matches("\\{\"label\":\"[^\"]+\",\"score\":[0-9.]+,\"box\":\\[[-0-9.,]+\\]\\}"));
    assertThat(out.toString()).contains("\"label\":\"person\"");
  }

  @Test
  void aBadImageOrModelIsBadInput() {
    assertThat(cli("detect", "--image", "/no/such.jpg", "--models-dir", MODELS)).isEqualTo(2);
    assertThat(err.toString()).contains("/no/such.jpg");
    assertThat(cli("detect", "--image", PHOTO.toString(), "--model", "no-such-model", "--models-dir", MODELS))
        .isEqualTo(2);
    assertThat(err.toString()).contains("no-such-model");
  }
}
