package org.storeedge.runtime.command;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.storeedge.sync.mqtt.UplinkOptions;

/**
 * Sends one downlink command to a running agent through its broker and waits for the reply, as
 * the cloud would: publishes {@code {prefix}cmd/{name}} with fresh correlation data and a message
 * expiry equal to the wait (a command nobody picked up in time is discarded by the broker, never
 * applied later), and takes the {@code {prefix}cmd-reply} carrying the same correlation data.
 * Uses the agent's own broker list, TLS and credentials, under a client id of its own.
 */
public final class CommandClient {
  /** The agent's answer: {@code ok} from the reply's {@code status} user property. */
  public record Reply(boolean ok, String body) {}

  private final UplinkOptions options;

  public CommandClient(UplinkOptions agentOptions) {
    this.options = agentOptions;
  }

  /**
   * Sends one command over a connection of its own.
   *
   * @throws TimeoutException no reply within {@code timeout} (agent not running or not connected)
   * @throws MqttException no broker of the list could be reached
   */
  public Reply send(String name, byte[] payload, Duration timeout) throws MqttException, TimeoutException,
      InterruptedException {
    try (Session s = open(timeout)) {
      return s.send(name, payload, timeout);
    }
  }

  /**
   * Connects to the agent's broker and subscribes to its replies, for several commands in a row
   * (the chunks of a model, then its manifest).
   *
   * @throws MqttException no broker of the list could be reached within {@code timeout}
   */
  public Session open(Duration timeout) throws MqttException {
    String clientId = options.clientId() + "-cli-" + UUID.randomUUID().toString().substring(0, 8);
    MqttAsyncClient c = new MqttAsyncClient(options.brokerUris().get(0), clientId, new MemoryPersistence());
    Session s = new Session(c);
    try {
      c.setCallback(s);
      MqttConnectionOptions o = new MqttConnectionOptions();
      o.setServerURIs(options.brokerUris().toArray(new String[0]));
      o.setCleanStart(true);
      o.setConnectionTimeout((int) Math.max(1, Math.min(30, timeout.toSeconds())));
      options.socketFactory().ifPresent(o::setSocketFactory);
      options.username().ifPresent(o::setUserName);
      options.password().ifPresent(p -> o.setPassword(new String(p).getBytes(StandardCharsets.UTF_8)));
      long waitMs = timeout.toMillis();
      c.connect(o).waitForCompletion(waitMs);
      c.subscribe(options.topicPrefix() + "cmd-reply", 1).waitForCompletion(waitMs);
      return s;
    } catch (MqttException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * One connection to the broker. {@link #send} waits for its command's reply; {@link #post} and
   * {@link #await} let several commands wait for theirs at once (replies are matched by their
   * correlation data, whatever order they come in).
   */
  public final class Session implements MqttCallback, AutoCloseable {
    private final MqttAsyncClient c;
    private final Map<String, CompletableFuture<Reply>> waiting = new ConcurrentHashMap<>();

    private Session(MqttAsyncClient c) {
      this.c = c;
    }

    /** A command published on this session and not yet awaited. */
    public final class Pending {
      private final String id;
      private final CompletableFuture<Reply> reply;
      private final Duration timeout;
      private final IMqttToken published;

      private Pending(String id, CompletableFuture<Reply> reply, Duration timeout, IMqttToken published) {
        this.id = id;
        this.reply = reply;
        this.timeout = timeout;
        this.published = published;
      }
    }

    /**
     * Publishes {@code {prefix}cmd/{name}} with fresh correlation data and waits for its reply.
     *
     * @throws TimeoutException no reply within {@code timeout}
     * @throws MqttException the publish failed (the connection is lost)
     */
    public Reply send(String name, byte[] payload, Duration timeout) throws MqttException, TimeoutException,
        InterruptedException {
      return await(post(name, payload, timeout));
    }

    /**
     * Publishes {@code {prefix}cmd/{name}} with fresh correlation data and returns without waiting
     * for the broker to take it; {@link #await} does, then gets its reply.
     *
     * @throws MqttException the publish failed at once (the connection is lost)
     */
    public Pending post(String name, byte[] payload, Duration timeout) throws MqttException {
      String id = UUID.randomUUID().toString();
      CompletableFuture<Reply> reply = new CompletableFuture<>();
      waiting.put(id, reply);
      boolean published = false;
      try {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        MqttProperties p = new MqttProperties();
        p.setCorrelationData(id.getBytes(StandardCharsets.UTF_8));
        p.setResponseTopic(options.topicPrefix() + "cmd-reply");
        p.setMessageExpiryInterval(Math.max(1, timeout.toSeconds()));
        m.setProperties(p);
        IMqttToken token = c.publish(options.topicPrefix() + "cmd/" + name, m);
        published = true;
        return new Pending(id, reply, timeout, token);
      } finally {
        if (!published) {
          waiting.remove(id);
        }
      }
    }

    /**
     * Waits up to the command's timeout (counted from this call) for the broker to take {@code p},
     * then as long again for its reply.
     *
     * @throws TimeoutException no reply in time; a reply coming later is ignored
     * @throws MqttException the publish failed (the connection is lost)
     */
    public Reply await(Pending p) throws MqttException, TimeoutException, InterruptedException {
      try {
        p.published.waitForCompletion(p.timeout.toMillis());
        return p.reply.get(p.timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      } finally {
        waiting.remove(p.id);
      }
    }

    @Override
    public void messageArrived(String topic, MqttMessage m) {
      MqttProperties p = m.getProperties();
      if (p == null || p.getCorrelationData() == null) {
        return;
      }
      CompletableFuture<Reply> reply = waiting.get(new String(p.getCorrelationData(), StandardCharsets.UTF_8));
      if (reply != null) {
        List<UserProperty> ups = p.getUserProperties();
        boolean ok = ups != null && ups.stream().anyMatch(u -> u.getKey().equals("status") && u.getValue().equals("ok"));
        reply.complete(new Reply(ok, new String(m.getPayload(), StandardCharsets.UTF_8)));
      }
    }

    @Override
    public void disconnected(MqttDisconnectResponse r) {}

    @Override
    public void mqttErrorOccurred(MqttException e) {}

    @Override
    public void deliveryComplete(IMqttToken t) {}

    @Override
    public void connectComplete(boolean reconnect, String uri) {}

    @Override
    public void authPacketArrived(int rc, MqttProperties p) {}

    @Override
    public void close() {
      try {
        if (c.isConnected()) {
          c.disconnect().waitForCompletion(5000);
        }
      } catch (MqttException e) {
        // the replies (or the timeouts) are what matter
      }
      try {
        c.close(true);
      } catch (MqttException e) {
        // nothing left to release that matters to the caller
      }
    }
  }
}
