package org.storeedge.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HandContactTest {
  @Test
  void aContactSaysWhoGaveOnlyAsOneOfItsTwoTracksAndWhatOnlyWithWho() {
    HandContact plain = new HandContact("t1", "a", "t2", "b", 1000, 0.8);
    assertThat(plain.directed()).isFalse();
    assertThat(plain.giverTrackId()).isNull();
    assertThat(plain.sku()).isNull();
    HandContact seen = new HandContact("t1", "a", "t2", "b", 1000, 0.8, "t2", "COLA", 2);
    assertThat(seen.directed()).isTrue();
    assertThat(seen.qty()).isEqualTo(2);
    assertThatThrownBy(() -> new HandContact("t1", "a", "t2", "b", 1000, 0.8, "t1", null, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only of a product it names");
    assertThatThrownBy(() -> new HandContact("t1", "a", "t2", "b", 1000, 0.8, "t1", "COLA", -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HandContact("t1", "a", "t2", "b", 1000, 0.8, "t3", null, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t3 is neither t1 nor t2");
    assertThatThrownBy(() -> new HandContact("t1", "a", "t2", "b", 1000, 0.8, null, "COLA", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only with its giver");
    assertThatThrownBy(() -> new HandContact("t1", "a", "t2", "b", 1000, 0.8, "t1", " ", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HandContact("t1", "a", "t2", "b", 1000, 0, "t1", null, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
