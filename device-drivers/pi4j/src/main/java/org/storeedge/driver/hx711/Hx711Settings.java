package org.storeedge.driver.hx711;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.Settings;

/**
 * The settings of one {@code hx711} device, checked. Built only by {@link #parse}, which reports
 * every problem at once with the location of its key.
 *
 * <pre>
 * settings:
 *   provider: gpiod          # Pi4J GPIO provider: auto (default), gpiod, linuxfs, pigpio, mock
 *   sampleRateHz: 10         # 10 or 80, as wired on the RATE pin (default 10)
 *   stuckSamples: 50         # identical raw values in a row that mean STUCK (default 50)
 *   readyTimeoutMillis: 500  # no conversion for this long means DISCONNECTED (default 5 periods)
 *   powerCycleAfterFaults: 3 # fault reports in a row before the chip is power-cycled (default 3)
 *   channels:                # lane channel -> chip pins, gain, calibration
 *     "0": { dataPin: 5, clockPin: 6, gain: A128, offset: 8123, scale: 420.5 }
 *     "1": { dataPin: 5, clockPin: 6, gain: B32, offset: -310, scale: 105.2 }
 * </pre>
 *
 * {@code channels} may also be a list of maps, each with a {@code channel} key.
 *
 * @param readyTimeoutMicros no valid conversion from a chip for this long = DISCONNECTED
 * @param channels by the lane's {@code channel} string, in file order
 */
public record Hx711Settings(
    String provider,
    SampleRate sampleRate,
    int stuckSamples,
    long readyTimeoutMicros,
    int powerCycleAfterFaults,
    Map<String, Channel> channels) {

  public static final String AUTO_PROVIDER = "auto";
  /** GPIO providers of Pi4J 2.x known to work for bit-banging; others are accepted by name. */
  public static final List<String> KNOWN_PROVIDERS = List.of(AUTO_PROVIDER, "gpiod", "linuxfs", "pigpio", "mock");
  public static final int DEFAULT_STUCK_SAMPLES = 50;
  public static final int DEFAULT_POWER_CYCLE_AFTER_FAULTS = 3;
  /** Default ready timeout, in sample periods. */
  public static final int DEFAULT_TIMEOUT_PERIODS = 5;
  /** Highest BCM GPIO number on the 40-pin header of a Raspberry Pi. */
  public static final int MAX_BCM_PIN = 27;

  private static final Set<String> KEYS = Set.of("provider", "sampleRateHz", "stuckSamples", "readyTimeoutMillis",
      "powerCycleAfterFaults", "channels");
  private static final Set<String> CHANNEL_KEYS = Set.of("channel", "dataPin", "clockPin", "gain", "offset", "scale");
  private static final Pattern PROVIDER_NAME = Pattern.compile("[a-z][a-z0-9]*");

  /**
   * One lane channel: the chip on {@code dataPin}/{@code clockPin} (BCM) read at {@code gain}.
   * grams = (value - offset) / scale.
   *
   * @param offset raw counts at zero load (tare)
   * @param scale raw counts per gram, non-zero (negative when the cell is wired inverted)
   */
  public record Channel(String id, int dataPin, int clockPin, Gain gain, double offset, double scale) {
    public double grams(int value) {
      return (value - offset) / scale;
    }
  }

  public Hx711Settings {
    channels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(channels));
  }

  /** Parsed settings, or the problems that kept them from being built. */
  public record Parsed(Hx711Settings settings, List<ConfigProblem> problems) {
    public Parsed {
      problems = List.copyOf(problems);
    }
  }

  public static Parsed parse(Settings s) {
    List<ConfigProblem> problems = new ArrayList<>();
    for (String key : s.values().keySet()) {
      if (!KEYS.contains(key)) {
        problems.add(s.problem(key, "unknown key '" + key + "' (known: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")"));
      }
    }

    String provider = AUTO_PROVIDER;
    Object p = s.get("provider").orElse(null);
    if (p != null) {
      if (p instanceof String str && PROVIDER_NAME.matcher(str).matches()) {
        provider = str;
      } else {
        problems.add(s.problem("provider", "provider must be a Pi4J provider name such as "
            + String.join(", ", KNOWN_PROVIDERS) + " (got: " + p + ")"));
      }
    }

    SampleRate rate = SampleRate.SPS_10;
    Object r = s.get("sampleRateHz").orElse(null);
    if (r != null) {
      SampleRate parsed = r instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) ? SampleRate.ofHz(n.intValue()) : null;
      if (parsed == null) {
        problems.add(s.problem("sampleRateHz", "sampleRateHz must be 10 or 80, as set by the RATE pin (got: " + r + ")"));
      } else {
        rate = parsed;
      }
    }

    int stuck = intAtLeast(s, "stuckSamples", DEFAULT_STUCK_SAMPLES, 2, problems);
    int cycleAfter = intAtLeast(s, "powerCycleAfterFaults", DEFAULT_POWER_CYCLE_AFTER_FAULTS, 1, problems);

    long timeoutMicros = DEFAULT_TIMEOUT_PERIODS * rate.periodMicros();
    Object t = s.get("readyTimeoutMillis").orElse(null);
    if (t != null) {
      long min = 2 * rate.periodMicros() / 1000;
      if (t instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() >= min) {
        timeoutMicros = Math.round(n.doubleValue() * 1000);
      } else {
        problems.add(s.problem("readyTimeoutMillis", "readyTimeoutMillis must be a number >= " + min
            + " (two sample periods at " + rate.hz() + " SPS) (got: " + t + ")"));
      }
    }

    Map<String, Channel> channels = parseChannels(s, problems);
    if (!problems.isEmpty()) {
      return new Parsed(null, problems);
    }
    return new Parsed(new Hx711Settings(provider, rate, stuck, timeoutMicros, cycleAfter, channels), problems);
  }

  private static int intAtLeast(Settings s, String key, int dflt, int min, List<ConfigProblem> problems) {
    Object v = s.get(key).orElse(null);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.doubleValue() >= min
        && n.doubleValue() <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    problems.add(s.problem(key, key + " must be a whole number >= " + min + " (got: " + v + ")"));
    return dflt;
  }

  private static Map<String, Channel> parseChannels(Settings s, List<ConfigProblem> problems) {
    Map<String, Channel> channels = new LinkedHashMap<>();
    Object raw = s.get("channels").orElse(null);
    if (raw == null) {
      problems.add(s.problem("channels", "channels is required: each lane channel with its dataPin and clockPin"));
      return channels;
    }
    Map<String, Object> entries = new LinkedHashMap<>();
    Map<String, String> pathOf = new HashMap<>();
    if (raw instanceof Map<?, ?> m) {
      m.forEach((k, v) -> {
        entries.put(String.valueOf(k), v);
        pathOf.put(String.valueOf(k), "channels." + k);
      });
    } else if (raw instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        Object e = list.get(i);
        String path = "channels[" + i + "]";
        Object id = e instanceof Map<?, ?> em ? em.get("channel") : null;
        if (id == null || String.valueOf(id).isBlank()) {
          problems.add(nested(s, path + ".channel", "each entry of channels needs a channel (the lane's channel string)"));
          continue;
        }
        if (entries.containsKey(String.valueOf(id))) {
          problems.add(nested(s, path + ".channel", "channel '" + id + "' is listed twice"));
          continue;
        }
        entries.put(String.valueOf(id), e);
        pathOf.put(String.valueOf(id), path);
      }
    } else {
      problems.add(s.problem("channels", "channels must be a map of lane channel to {dataPin, clockPin, gain, offset, scale} (got: " + raw + ")"));
      return channels;
    }
    if (entries.isEmpty() && problems.isEmpty()) {
      problems.add(s.problem("channels", "channels must name at least one channel"));
    }

    for (Map.Entry<String, Object> e : entries.entrySet()) {
      Channel c = parseChannel(s, e.getKey(), pathOf.get(e.getKey()), e.getValue(), problems);
      if (c != null) {
        channels.put(c.id(), c);
      }
    }
    checkPinSharing(s, channels, pathOf, problems);
    return channels;
  }

  private static Channel parseChannel(Settings s, String id, String path, Object value, List<ConfigProblem> problems) {
    if (!(value instanceof Map<?, ?> m)) {
      problems.add(nested(s, path, "channel '" + id + "' must be a map with dataPin and clockPin (got: " + value + ")"));
      return null;
    }
    int before = problems.size();
    for (Object k : m.keySet()) {
      if (!CHANNEL_KEYS.contains(String.valueOf(k)) || (path.startsWith("channels.") && "channel".equals(k))) {
        problems.add(nested(s, path + "." + k, "unknown key '" + k + "' (known: clockPin, dataPin, gain, offset, scale)"));
      }
    }
    int data = pin(s, path + ".dataPin", m.get("dataPin"), problems);
    int clock = pin(s, path + ".clockPin", m.get("clockPin"), problems);
    if (data >= 0 && data == clock) {
      problems.add(nested(s, path + ".clockPin", "clockPin must differ from dataPin (got: " + clock + " for both)"));
    }
    Gain gain = Gain.A128;
    Object g = m.get("gain");
    if (g != null) {
      try {
        gain = Gain.valueOf(String.valueOf(g).trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException ex) {
        problems.add(nested(s, path + ".gain", "gain must be A128, A64 or B32 (got: " + g + ")"));
      }
    }
    double offset = number(s, path + ".offset", m.get("offset"), 0.0, false, problems);
    double scale = number(s, path + ".scale", m.get("scale"), 1.0, true, problems);
    if (problems.size() > before) {
      return null;
    }
    return new Channel(id, data, clock, gain, offset, scale);
  }

  private static int pin(Settings s, String path, Object v, List<ConfigProblem> problems) {
    if (v == null) {
      problems.add(nested(s, path, "required: the BCM GPIO number (0.." + MAX_BCM_PIN + ")"));
      return -1;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.intValue() >= 0 && n.intValue() <= MAX_BCM_PIN) {
      return n.intValue();
    }
    problems.add(nested(s, path, "must be a BCM GPIO number 0.." + MAX_BCM_PIN + " (got: " + v + ")"));
    return -1;
  }

  private static double number(Settings s, String path, Object v, double dflt, boolean nonZero, List<ConfigProblem> problems) {
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n && Double.isFinite(n.doubleValue()) && !(nonZero && n.doubleValue() == 0)) {
      return n.doubleValue();
    }
    problems.add(nested(s, path, "must be a finite number" + (nonZero ? " other than 0" : "") + " (got: " + v + ")"));
    return dflt;
  }

  /**
   * One chip = one (dataPin, clockPin) pair, holding at most one channel per input (A and B).
   * A pin may not appear in two pairs: a shared clock would shift every chip on it at once, and
   * a shared data line is two outputs fighting.
   */
  private static void checkPinSharing(Settings s, Map<String, Channel> channels, Map<String, String> pathOf, List<ConfigProblem> problems) {
    Map<Integer, Channel> byPin = new HashMap<>();
    Map<String, Channel> byChipInput = new HashMap<>();
    for (Channel c : channels.values()) {
      for (int pin : new int[] {c.dataPin(), c.clockPin()}) {
        Channel other = byPin.putIfAbsent(pin, c);
        if (other != null && (other.dataPin() != c.dataPin() || other.clockPin() != c.clockPin())) {
          problems.add(nested(s, pathOf.get(c.id()), "channel '" + c.id() + "' uses GPIO " + pin
              + ", already used by channel '" + other.id() + "' with other pins; each HX711 needs its own data and clock pins"));
        }
      }
      String key = c.dataPin() + "/" + c.clockPin() + "/" + c.gain().input();
      Channel same = byChipInput.putIfAbsent(key, c);
      if (same != null) {
        problems.add(nested(s, pathOf.get(c.id()) + ".gain", "channel '" + c.id() + "' reads input " + c.gain().input()
            + " of the chip on pins " + c.dataPin() + "/" + c.clockPin() + ", as channel '" + same.id()
            + "' does; one chip has one A and one B input"));
      }
    }
  }

  /** A problem at a nested key: located at the {@code channels} key, the only level with positions. */
  private static ConfigProblem nested(Settings s, String path, String message) {
    return new ConfigProblem(s.locationOf("channels"), s.pathOf(path), message);
  }

  /** Settings built by hand (tools, tests): default provider, fault thresholds and timeout. */
  public static Hx711Settings of(SampleRate rate, List<Channel> channels) {
    Map<String, Channel> m = new LinkedHashMap<>();
    channels.forEach(c -> m.put(c.id(), c));
    return new Hx711Settings(AUTO_PROVIDER, rate, DEFAULT_STUCK_SAMPLES, DEFAULT_TIMEOUT_PERIODS * rate.periodMicros(),
        DEFAULT_POWER_CYCLE_AFTER_FAULTS, m);
  }

  public Hx711Settings withStuckSamples(int n) {
    return new Hx711Settings(provider, sampleRate, n, readyTimeoutMicros, powerCycleAfterFaults, channels);
  }
}
