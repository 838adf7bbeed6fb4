package org.storeedge.core.lifecycle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Starts components in the order they were added and stops the started ones in reverse. When a
 * start fails, the ones already started are stopped and the failure is rethrown.
 */
public final class LifecycleManager implements AutoCloseable {
  private final List<Lifecycle> components = new ArrayList<>();
  private final Deque<Lifecycle> started = new ArrayDeque<>();

  public <T extends Lifecycle> T add(T component) {
    components.add(component);
    return component;
  }

  public void startAll() throws Exception {
    for (Lifecycle c : components) {
      try {
        c.start();
      } catch (Exception e) {
        stopAll();
        throw new IllegalStateException("could not start " + c.name() + ": " + e.getMessage(), e);
      }
      started.push(c);
    }
  }

  public void stopAll() {
    while (!started.isEmpty()) {
      Lifecycle c = started.pop();
      try {
        c.stop();
      } catch (RuntimeException e) {
        // stop() must not throw; keep stopping the others
        System.err.println("error stopping " + c.name() + ": " + e);
      }
    }
  }

  /** Names of the components, in start order. */
  public List<String> dump() {
    return components.stream().map(Lifecycle::name).toList();
  }

  @Override
  public void close() {
    stopAll();
  }
}
