package org.storeedge.sync.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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

/**
 * A second, independent MQTT client standing in for the cloud: it subscribes with a persistent
 * session (so it misses nothing while the broker restarts) and records every message.
 *
 * <p>It reconnects by itself, a second after each loss, with a new Paho client each time: a Paho
 * client that lost a connection mid-CONNECT (a broker restarting) can send a second CONNECT on
 * its next connection (eclipse-paho/paho.mqtt.java#1099), with its automatic reconnect and with
 * a plain {@code connect()} alike; Mosquitto then drops it for a protocol error and the queued
 * messages of the session with it. The broker redelivers what the old client had not
 * acknowledged.
 */
public final class OutsideSubscriber implements AutoCloseable {

  /**
   * One received message.
   *
   * @param messageExpirySeconds remaining MQTT 5 message expiry as forwarded by the broker, null if none
   */
  public record Received(String topic, byte[] payload, Map<String, String> userProperties, byte[] correlationData,
      boolean retained, Long messageExpirySeconds) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    public Optional<String> property(String name) {
      return Optional.ofNullable(userProperties.get(name));
    }
  }

  private volatile MqttAsyncClient client;
  private final String brokerUri;
  private final String clientId;
  private final MqttCallback callback;
  private final String filter;
  private final MqttConnectionOptions options = new MqttConnectionOptions();
  private final ScheduledExecutorService reconnector = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "outside-subscriber-reconnect");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  /** Connects (persistent session, reconnects after a loss) and subscribes to {@code filter} at QoS 1. */
  public OutsideSubscriber(String brokerUri, String clientId, String filter) throws MqttException {
    this.filter = filter;
    this.brokerUri = brokerUri;
    this.clientId = clientId;
    this.callback = new MqttCallback() {
      @Override
      public void disconnected(MqttDisconnectResponse r) {
        scheduleReconnect();
      }

      @Override
      public void mqttErrorOccurred(MqttException e) {}

      @Override
      public void messageArrived(String topic, MqttMessage m) {
        MqttProperties p = m.getProperties();
        Map<String, String> props = p == null || p.getUserProperties() == null ? Map.of()
            : p.getUserProperties().stream().collect(Collectors.toMap(UserProperty::getKey, UserProperty::getValue, (a, b) -> b));
        received.add(new Received(topic, m.getPayload(), props, p == null ? null : p.getCorrelationData(), m.isRetained(),
            p == null ? null : p.getMessageExpiryInterval()));
      }

      @Override
      public void deliveryComplete(IMqttToken t) {}

      @Override
      public void connectComplete(boolean reconnect, String uri) {}

      @Override
      public void authPacketArrived(int rc, MqttProperties p) {}
    };
    client = newClient();
    options.setCleanStart(false);
    options.setSessionExpiryInterval(3600L);
    options.setAutomaticReconnect(false);
    client.connect(options).waitForCompletion(15_000);
    client.subscribe(filter, 1).waitForCompletion(15_000);
  }

  private MqttAsyncClient newClient() throws MqttException {
    MqttAsyncClient c = new MqttAsyncClient(brokerUri, clientId, new MemoryPersistence());
    c.setCallback(callback);
    return c;
  }

  private void scheduleReconnect() {
    if (!closed) {
      reconnector.schedule(this::reconnect, 1, TimeUnit.SECONDS);
    }
  }

  /** One attempt; another follows a second later until connected or closed. */
  private void reconnect() {
    if (closed || client.isConnected()) {
      return;
    }
    try {
      MqttAsyncClient old = client;
      try {
        old.close(true);
      } catch (MqttException e) {
        // the old client is being replaced: nothing to keep from it
      }
      MqttAsyncClient c = newClient();
      client = c;
      IMqttToken t = c.connect(options);
      t.waitForCompletion(15_000);
      if (!t.getSessionPresent()) {
        c.subscribe(filter, 1).waitForCompletion(15_000);
      }
    } catch (MqttException e) {
      scheduleReconnect();
    }
  }

  public List<Received> received() {
    return new ArrayList<>(received);
  }

  public List<Received> on(String topic) {
    return received.stream().filter(r -> r.topic().equals(topic)).toList();
  }

  public boolean isConnected() {
    return client.isConnected();
  }

  /** Publishes a request as a cloud would send a command. */
  public void publish(String topic, byte[] payload, byte[] correlationData) throws MqttException {
    publish(topic, payload, correlationData, Map.of());
  }

  /** Publishes with user properties too: as an agent answers a command ({@code status}). */
  public void publish(String topic, byte[] payload, byte[] correlationData, Map<String, String> userProperties)
      throws MqttException {
    MqttMessage m = new MqttMessage(payload);
    m.setQos(1);
    MqttProperties p = new MqttProperties();
    if (correlationData != null) {
      p.setCorrelationData(correlationData);
    }
    if (!userProperties.isEmpty()) {
      p.setUserProperties(userProperties.entrySet().stream()
          .map(e -> new UserProperty(e.getKey(), e.getValue())).toList());
    }
    m.setProperties(p);
    client.publish(topic, m).waitForCompletion(15_000);
  }

  @Override
  public void close() {
    closed = true;
    reconnector.shutdownNow();
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(5_000);
      }
    } catch (MqttException e) {
      // test teardown: nothing to report
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      // test teardown: nothing to report
    }
  }
}
