package org.storeedge.driver.hx711;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.context.ContextBuilder;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GPIO through a Pi4J 2.x {@link Context}. DOUT pins are inputs with the pull-up on, so an
 * unplugged chip reads "not ready" and is reported DISCONNECTED; PD_SCK pins start low (chip
 * awake) and go high on shutdown (chips powered down while the agent is not running).
 *
 * <p>{@link #pause} parks the reading thread: this class is the hardware boundary where the
 * reading loop meets wall time, the one place outside the time package that waits on it.
 */
public final class Pi4jHx711Gpio implements Hx711Gpio {
  private static final Logger log = LoggerFactory.getLogger(Pi4jHx711Gpio.class);

  private final Context context;
  private final boolean ownsContext;
  private final String provider;
  private final Map<String, Pi4jHx711Pins> opened = new HashMap<>();

  /**
   * Uses {@code context} (not shut down by {@link #close}) with GPIO provider {@code provider}
   * ({@code auto} = the context's default).
   */
  public Pi4jHx711Gpio(Context context, String provider) {
    this(context, provider, false);
  }

  private Pi4jHx711Gpio(Context context, String provider, boolean ownsContext) {
    this.context = context;
    this.provider = provider;
    this.ownsContext = ownsContext;
  }

  /**
   * Creates a Pi4J context with the plugins found on the class path (the mock plugin only when
   * {@code provider} is {@code mock}), shut down again by {@link #close}.
   *
   * @throws IllegalStateException when Pi4J cannot start or {@code provider} is not on the class path
   */
  public static Pi4jHx711Gpio open(String provider) {
    ContextBuilder b = Pi4J.newContextBuilder().autoDetect();
    if ("mock".equals(provider)) {
      b = b.autoDetectMockPlugins();
    }
    Context ctx;
    try {
      ctx = b.build();
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot start Pi4J: " + e.getMessage(), e);
    }
    if (!Hx711Settings.AUTO_PROVIDER.equals(provider) && !ctx.providers().exists(inputProvider(provider))) {
      shutdown(ctx);
      throw new IllegalStateException("Pi4J GPIO provider '" + provider + "' is not on the class path (add com.pi4j:pi4j-plugin-"
          + provider + " to the agent)");
    }
    return new Pi4jHx711Gpio(ctx, provider, true);
  }

  @Override
  public synchronized Hx711Pins pins(int dataPin, int clockPin) {
    return opened.computeIfAbsent(dataPin + "/" + clockPin, k -> {
      try {
        var in = DigitalInput.newConfigBuilder(context).id("hx711-dout-" + dataPin).name("HX711 DOUT BCM " + dataPin)
            .address(dataPin).pull(PullResistance.PULL_UP);
        var out = DigitalOutput.newConfigBuilder(context).id("hx711-sck-" + clockPin).name("HX711 PD_SCK BCM " + clockPin)
            .address(clockPin).initial(DigitalState.LOW).shutdown(DigitalState.HIGH);
        if (!Hx711Settings.AUTO_PROVIDER.equals(provider)) {
          in = in.provider(inputProvider(provider));
          out = out.provider(outputProvider(provider));
        }
        return new Pi4jHx711Pins(context.create(in), context.create(out));
      } catch (RuntimeException e) {
        throw new IllegalStateException("GPIO " + dataPin + " (DOUT) / " + clockPin + " (PD_SCK) via provider '"
            + provider + "': " + e.getMessage(), e);
      }
    });
  }

  @Override
  public long micros() {
    return System.nanoTime() / 1_000L;
  }

  @Override
  public void pause(long us) {
    LockSupport.parkNanos(us * 1_000L);
  }

  @Override
  public synchronized void close() {
    for (Pi4jHx711Pins p : opened.values()) {
      try {
        p.sck().high();
      } catch (RuntimeException e) {
        log.debug("could not power down HX711 on {}: {}", p.sck().id(), e.toString());
      }
    }
    opened.clear();
    if (ownsContext) {
      shutdown(context);
    }
  }

  private static void shutdown(Context ctx) {
    try {
      ctx.shutdown();
    } catch (RuntimeException e) {
      log.warn("Pi4J shutdown failed: {}", e.toString());
    }
  }

  static String inputProvider(String provider) {
    return provider + "-digital-input";
  }

  static String outputProvider(String provider) {
    return provider + "-digital-output";
  }
}
