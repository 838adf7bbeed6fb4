package org.storeedge.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleManagerTest {
  private final List<String> log = new ArrayList<>();

  private Lifecycle component(String name, boolean failStart) {
    return new Lifecycle() {
      @Override
      public void start() throws Exception {
        if (failStart) {
          throw new Exception("boom");
        }
        log.add("start " + name);
      }

      @Override
      public void stop() {
        log.add("stop " + name);
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  @Test
  void startsInOrderAndStopsInReverse() throws Exception {
    LifecycleManager m = new LifecycleManager();
    m.add(component("a", false));
    m.add(component("b", false));
    m.startAll();
    m.stopAll();
    assertThat(log).containsExactly("start a", "start b", "stop b", "stop a");
    assertThat(m.dump()).containsExactly("a", "b");
  }

  @Test
  void aFailedStartStopsWhatAlreadyStartedAndNamesTheCulprit() {
    LifecycleManager m = new LifecycleManager();
    m.add(component("a", false));
    m.add(component("b", true));
    m.add(component("c", false));
    assertThatThrownBy(m::startAll).hasMessageContaining("could not start b").hasMessageContaining("boom");
    assertThat(log).containsExactly("start a", "stop a");
  }
}
