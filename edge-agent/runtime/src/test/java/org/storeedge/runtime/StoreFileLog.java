package org.storeedge.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What {@link StoreFile} logs while open, for a test on the thread that runs the command. */
final class StoreFileLog implements AutoCloseable {
  private final Logger logger = (Logger) LoggerFactory.getLogger(StoreFile.class);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  StoreFileLog() {
    appender.start();
    logger.addAppender(appender);
  }

  /** The messages logged at WARN, in order. */
  List<String> warnings() {
    return appender.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** Every message logged, whatever its level. */
  List<String> all() {
    return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
