package org.storeedge.runtime;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.storeedge.config.ConfigException;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.runtime.command.CommandClient;
import org.storeedge.sync.mqtt.UplinkOptions;

/**
 * What the technician's commands that talk to a running agent share ({@code calibrate},
 * {@code debug-snapshot}): reading the agent's store file for its broker, and sending one command
 * through that broker and printing the agent's reply.
 */
final class AgentCommandLine {
  private AgentCommandLine() {}

  /** A running agent's store file and how to reach its broker. */
  record Agent(StoreConfig config, UplinkOptions uplink) {}

  /**
   * The store file, read for its lanes, cameras and sync section (the agent validated its devices
   * itself); null after printing the problems when it is broken or names no broker.
   */
  static Agent load(Path config, String command, PrintWriter err) {
    try {
      StoreConfig cfg = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(config);
      if (cfg.sync().brokers().isEmpty()) {
        err.println(config + ": sync.brokers is empty; " + command + " reaches the agent through its broker");
        return null;
      }
      return new Agent(cfg, UplinkOptions.fromConfig(cfg));
    } catch (ConfigException e) {
      e.lines().forEach(err::println);
      return null;
    } catch (IOException e) {
      err.println(e.getMessage());
      return null;
    }
  }

  /**
   * Publishes {@code command} with {@code payload} to the store's broker and prints the reply: on
   * {@code out} and {@link Main#OK} when the agent did it, on {@code err} and {@link Main#FAILED}
   * when it refused, did not answer in time ({@code unanswered} says what that leaves undone) or
   * the broker cannot be reached.
   */
  static int send(Agent agent, String command, byte[] payload, Duration timeout, String unanswered,
      PrintWriter out, PrintWriter err) throws InterruptedException {
    return session(agent, timeout, unanswered, err, s -> s.send(command, payload, timeout), out);
  }

  /** Commands sent in a row over one connection; the last reply is what counts. */
  interface Exchange {
    /** The reply to print, or null when the exchange already said on stderr why it stopped. */
    CommandClient.Reply run(CommandClient.Session s) throws Exception;
  }

  /**
   * Connects to the store's broker, runs {@code exchange} and prints its reply as {@link #send}
   * does.
   */
  static int session(Agent agent, Duration timeout, String unanswered, PrintWriter err, Exchange exchange,
      PrintWriter out) throws InterruptedException {
    StoreConfig cfg = agent.config();
    try (CommandClient.Session s = new CommandClient(agent.uplink()).open(timeout)) {
      CommandClient.Reply r = exchange.run(s);
      if (r == null) {
        return Main.FAILED;
      }
      (r.ok() ? out : err).println(r.body());
      return r.ok() ? Main.OK : Main.FAILED;
    } catch (TimeoutException e) {
      err.println("no reply from the agent within " + timeout.toSeconds() + " s: is 'storeedge run' running and "
          + "connected to " + cfg.sync().brokers() + "? (the command expires unanswered; " + unanswered + ")");
      return Main.FAILED;
    } catch (MqttException e) {
      err.println("cannot reach the broker " + cfg.sync().brokers() + ", or it refused the command (a broker that caps "
          + "the message size refuses a larger one; model-update --chunk-bytes sends a model in pieces): " + e);
      return Main.FAILED;
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      err.println("talking to the agent failed: " + e);
      return Main.FAILED;
    }
  }
}
