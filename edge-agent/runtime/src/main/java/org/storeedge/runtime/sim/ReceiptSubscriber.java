package org.storeedge.runtime.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * An outside MQTT client, as the cloud would be: subscribes to the receipts topic and hands each
 * payload on. It is how the demo and the tests see what really went over the wire.
 */
public final class ReceiptSubscriber implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final String broker;
  private final String topic;
  private final Consumer<String> onMessage;
  private final Object lock = new Object();
  private int count;
  private MqttAsyncClient client;

  public ReceiptSubscriber(String broker, String topic, Consumer<String> onMessage) {
    this.broker = broker;
    this.topic = topic;
    this.onMessage = onMessage;
  }

  public void start() throws MqttException {
    client = new MqttAsyncClient(broker, "storeedge-viewer-" + UUID.randomUUID(), new MemoryPersistence());
    client.setCallback(new MqttCallback() {
      @Override
      public void disconnected(MqttDisconnectResponse r) {}

      @Override
      public void mqttErrorOccurred(MqttException e) {}

      @Override
      public void messageArrived(String t, MqttMessage m) {
        onMessage.accept(new String(m.getPayload(), StandardCharsets.UTF_8));
        synchronized (lock) {
          count++;
          lock.notifyAll();
        }
      }

      @Override
      public void deliveryComplete(IMqttToken token) {}

      @Override
      public void connectComplete(boolean reconnect, String uri) {}

      @Override
      public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    });
    MqttConnectionOptions opts = new MqttConnectionOptions();
    opts.setCleanStart(true);
    opts.setAutomaticReconnect(true);
    client.connect(opts).waitForCompletion(30_000);
    client.subscribe(topic, 1).waitForCompletion(30_000);
  }

  /** Waits up to {@code max} (wall time) for more than {@code seen} messages in all. */
  public void awaitMore(int seen, Duration max) throws InterruptedException {
    synchronized (lock) {
      if (count <= seen) {
        lock.wait(Math.max(1, max.toMillis()));
      }
    }
  }

  /** A top-level text field of a JSON object, or null when absent or not JSON. */
  public static String field(String json, String name) {
    try {
      JsonNode n = MAPPER.readTree(json).get(name);
      return n == null || n.isNull() ? null : n.asText();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    if (client != null) {
      try {
        if (client.isConnected()) {
          client.disconnect().waitForCompletion(5_000);
        }
        client.close();
      } catch (MqttException e) {
        // closing a viewer is best effort
      }
    }
  }
}
