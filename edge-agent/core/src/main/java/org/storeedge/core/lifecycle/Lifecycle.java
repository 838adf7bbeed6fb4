package org.storeedge.core.lifecycle;

/**
 * A component with a start and a stop. Constructors do no I/O; {@link #start} does. {@link #stop}
 * releases everything {@link #start} took and never throws.
 */
public interface Lifecycle {
  void start() throws Exception;

  void stop();

  /** Name used in logs and in the start/stop order report. */
  default String name() {
    return getClass().getSimpleName();
  }
}
