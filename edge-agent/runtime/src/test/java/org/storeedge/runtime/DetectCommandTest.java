package org.storeedge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

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
}
