package org.storeedge.runtime.broker;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.storeedge.core.lifecycle.Lifecycle;

/**
 * An MQTT 5 broker inside the agent's JVM, for the demo and for {@code simulate} without
 * {@code --broker}: HiveMQ Community Edition on a free loopback port, in-memory persistence,
 * usage statistics off (it never calls out).
 */
public final class EmbeddedBroker implements Lifecycle {
  private final Path workDir;
  private int port;
  private EmbeddedHiveMQ hivemq;

  /** @param workDir an empty directory the broker may use for its config and data */
  public EmbeddedBroker(Path workDir) {
    this.workDir = workDir;
  }

  @Override
  public void start() throws Exception {
    port = freePort();
    Path conf = Files.createDirectories(workDir.resolve("conf"));
    Path data = Files.createDirectories(workDir.resolve("data"));
    Path ext = Files.createDirectories(workDir.resolve("extensions"));
    Files.writeString(conf.resolve("config.xml"), """
        <?xml version="1.0"?>
        <hivemq>
          <listeners>
            <tcp-listener>
              <port>%d</port>
              <bind-address>127.0.0.1</bind-address>
            </tcp-listener>
          </listeners>
          <persistence>
            <mode>in-memory</mode>
          </persistence>
          <anonymous-usage-statistics>
            <enabled>false</enabled>
          </anonymous-usage-statistics>
        </hivemq>
        """.formatted(port));
    hivemq = EmbeddedHiveMQ.builder()
        .withConfigurationFolder(conf)
        .withDataFolder(data)
        .withExtensionsFolder(ext)
        .withoutLoggingBootstrap()
        .build();
    hivemq.start().get(60, TimeUnit.SECONDS);
  }

  /** {@code tcp://127.0.0.1:PORT}; valid after {@link #start}. */
  public String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void stop() {
    if (hivemq != null) {
      try {
        hivemq.stop().get(30, TimeUnit.SECONDS);
        hivemq.close();
      } catch (Exception e) {
        // stopping is best effort; the JVM exits after
      }
      hivemq = null;
    }
  }

  @Override
  public String name() {
    return "embedded-broker";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
