package org.storeedge.driver.hx711;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.ReadingSink;
import org.storeedge.core.device.ReadingStatus;
import org.storeedge.core.device.WeightDriver;
import org.storeedge.core.device.WeightReading;
import org.storeedge.core.time.Scheduler;

/**
 * The HX711 chips of one device (one gateway's bank of load-cell amplifiers), read on the device's
 * own thread {@code hx711-<deviceId>}.
 *
 * <p>Why a thread of its own and not the {@link Scheduler}: a read is 25..27 clock pulses whose
 * high phases must stay under 50 us, so it is bit-banged with busy waits, and DOUT must be polled
 * every few milliseconds to catch each conversion before the next one (80 SPS = 12.5 ms). Scheduler
 * tasks must not block and run on a thread other components share; a stretched pulse there would
 * power the chip down. The loop reads one chip at a time: whichever chip has a conversion ready
 * is read at once; when none is, the thread pauses for 1/25 of a sample period.
 *
 * <p>Per chip: after start-up, a power cycle or a gain change the first conversions are
 * discarded (settling). A chip with two channels (inputs A and B) alternates between them, one
 * valid reading per turn, so each gets a reading every (1 + settling) conversions. Faults are
 * reported as readings: DISCONNECTED for every lane of a chip that gave no conversion within the
 * ready timeout (again each timeout while it lasts), SATURATED for a value at the end of the range,
 * STUCK once a lane's raw value repeated {@code stuckSamples} times. After
 * {@code powerCycleAfterFaults} DISCONNECTED/STUCK reports in a row the chip is power-cycled
 * (PD_SCK high &gt; 60 us), with the count doubling up to 32x while that does not help; the first
 * valid reading reports OK again. A read that is not clean (a stretched pulse because the thread
 * was preempted, or DOUT not released after the gain pulses) is dropped and the chip reset, since
 * it may have powered down and lost its gain selection; it does not count as a conversion, so a
 * chip whose DOUT is stuck low ends up DISCONNECTED too.
 *
 * <p>Readings are stamped with {@code scheduler.millis()} taken right after the read, never going
 * back in time within this device. {@link #start}/{@link #stop} are called by the lifecycle, not
 * concurrently with each other.
 */
public final class Hx711Driver implements WeightDriver {
  private static final Logger log = LoggerFactory.getLogger(Hx711Driver.class);
  /** Power-cycle count threshold stops doubling at this multiple of the configured one. */
  private static final int MAX_BACKOFF = 32;
  private static final long JOIN_MILLIS = 5_000;

  private final String deviceId;
  private final Hx711Settings settings;
  /** channel id -> lanes reading it (normally one), in configuration order. */
  private final Map<Hx711Settings.Channel, List<String>> lanesByChannel = new LinkedHashMap<>();
  private final Supplier<? extends Hx711Gpio> gpioFactory;
  private final Scheduler scheduler;
  private final ReadingSink sink;

  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong discarded = new AtomicLong();
  private final AtomicLong glitches = new AtomicLong();
  private final AtomicLong powerCycles = new AtomicLong();
  private final AtomicLong ioErrors = new AtomicLong();
  private final AtomicLong sinkErrors = new AtomicLong();

  private volatile boolean running;
  private Thread thread;
  private Hx711Gpio gpio;
  private long lastStamp = Long.MIN_VALUE;

  /** Counters since construction; safe to read from any thread. */
  public record Stats(long delivered, long discarded, long glitches, long powerCycles, long ioErrors, long sinkErrors) {}

  /**
   * @param lanes the lanes of this device; each lane's {@code channel} must be a key of
   *     {@code settings.channels()}
   * @param gpio opens the GPIO in {@link #start} (the factory passes Pi4J; tests a fake)
   * @throws IllegalArgumentException when a lane names a channel the settings do not define
   */
  public Hx711Driver(String deviceId, Hx711Settings settings, List<StoreConfig.Lane> lanes,
      Supplier<? extends Hx711Gpio> gpio, Scheduler scheduler, ReadingSink sink) {
    this.deviceId = deviceId;
    this.settings = settings;
    this.gpioFactory = gpio;
    this.scheduler = scheduler;
    this.sink = sink;
    for (StoreConfig.Lane lane : lanes) {
      Hx711Settings.Channel c = settings.channels().get(lane.channel());
      if (c == null) {
        throw new IllegalArgumentException("lane " + lane.id() + " of device " + deviceId + " names channel '"
            + lane.channel() + "', which its settings.channels does not define (defined: "
            + String.join(", ", settings.channels().keySet()) + ")");
      }
      lanesByChannel.computeIfAbsent(c, k -> new ArrayList<>()).add(lane.id());
    }
    settings.channels().values().stream().filter(c -> !lanesByChannel.containsKey(c))
        .forEach(c -> log.info("{}: channel '{}' is read by no lane; its chip is not polled for it", deviceId, c.id()));
  }

  @Override
  public String deviceId() {
    return deviceId;
  }

  @Override
  public String name() {
    return "hx711:" + deviceId;
  }

  public Stats stats() {
    return new Stats(delivered.get(), discarded.get(), glitches.get(), powerCycles.get(), ioErrors.get(), sinkErrors.get());
  }

  /** Opens the GPIO and every chip's pins, then starts the reading thread. */
  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    Hx711Gpio g = gpioFactory.get();
    List<Chip> chips = new ArrayList<>();
    try {
      Map<String, Chip> byPins = new LinkedHashMap<>();
      lanesByChannel.forEach((channel, laneIds) -> byPins
          .computeIfAbsent(channel.dataPin() + "/" + channel.clockPin(),
              k -> new Chip(k, g, new Hx711(g.pins(channel.dataPin(), channel.clockPin()))))
          .slots.add(new Slot(channel, List.copyOf(laneIds))));
      chips.addAll(byPins.values());
    } catch (RuntimeException e) {
      g.close();
      throw new IllegalStateException("device " + deviceId + ": cannot open HX711 pins: " + e.getMessage(), e);
    }
    gpio = g;
    running = true;
    thread = new Thread(() -> loop(g, chips), threadName(deviceId));
    thread.setDaemon(true);
    // Fewer preemptions mid-pulse; the OS may ignore it.
    thread.setPriority(Thread.MAX_PRIORITY);
    thread.start();
    log.info("{}: reading {} HX711 chip(s) at {} SPS", deviceId, chips.size(), settings.sampleRate().hz());
  }

  /** Ends the reading thread (waits for it), then releases the GPIO: no reading after return. */
  @Override
  public synchronized void stop() {
    running = false;
    Thread t = thread;
    thread = null;
    if (t != null) {
      try {
        t.join(JOIN_MILLIS);
        if (t.isAlive()) {
          log.warn("{}: reading thread did not end within {} ms; interrupting it", deviceId, JOIN_MILLIS);
          t.interrupt();
          t.join(JOIN_MILLIS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Hx711Gpio g = gpio;
    gpio = null;
    if (g != null) {
      try {
        g.close();
      } catch (RuntimeException e) {
        log.warn("{}: closing GPIO failed: {}", deviceId, e.toString());
      }
    }
  }

  private void loop(Hx711Gpio g, List<Chip> chips) {
    long pollMicros = settings.sampleRate().periodMicros() / 25;
    try {
      for (Chip c : chips) {
        long now = g.micros();
        c.quietUntil = now;
        c.deadline = now + settings.sampleRate().settlingMicros() + settings.readyTimeoutMicros();
        try {
          c.reset(now, true);
        } catch (RuntimeException e) {
          c.ioFailed(e);
        }
      }
      while (running) {
        boolean busy = false;
        for (Chip c : chips) {
          if (!running) {
            break;
          }
          try {
            busy |= c.poll();
          } catch (RuntimeException e) {
            c.ioFailed(e);
          }
        }
        if (!busy && running) {
          g.pause(pollMicros);
        }
      }
    } catch (RuntimeException | Error e) {
      log.error("{}: reading thread failed; no more readings until restart", deviceId, e);
      throw e;
    }
  }

  private void emit(Slot slot, double grams, ReadingStatus status) {
    long at = Math.max(lastStamp, scheduler.millis());
    lastStamp = at;
    for (String lane : slot.laneIds) {
      try {
        sink.accept(new WeightReading(lane, at, grams, status));
        delivered.incrementAndGet();
      } catch (RuntimeException e) {
        if (sinkErrors.getAndIncrement() % 1000 == 0) {
          log.error("{}: reading sink failed for lane {} ({} failures so far)", deviceId, lane, sinkErrors.get(), e);
        }
      }
    }
    if (status != slot.lastStatus) {
      if (status.ok()) {
        log.info("{}: lane(s) {} OK again", deviceId, slot.laneIds);
      } else {
        log.warn("{}: lane(s) {} {} (channel '{}', pins {}/{})", deviceId, slot.laneIds, status,
            slot.channel.id(), slot.channel.dataPin(), slot.channel.clockPin());
      }
      slot.lastStatus = status;
    }
  }

  /** One lane channel on a chip: its calibration and stuck detection. Reading thread only. */
  private static final class Slot {
    final Hx711Settings.Channel channel;
    final List<String> laneIds;
    boolean haveLast;
    int lastValue;
    int sameRun;
    ReadingStatus lastStatus = ReadingStatus.OK;

    Slot(Hx711Settings.Channel channel, List<String> laneIds) {
      this.channel = channel;
      this.laneIds = laneIds;
    }
  }

  /** One HX711 (one pin pair) and what the driver knows of its state. Reading thread only. */
  private final class Chip {
    final String pins;
    final Hx711Gpio gpio;
    final Hx711 hx;
    final List<Slot> slots = new ArrayList<>();
    /** Gain of the conversion now being made (selected by the previous read's pulses). */
    Gain inEffect = Gain.A128;
    /** Conversions still to discard while the output settles. */
    int discard;
    /** Index of the slot whose reading is wanted next. */
    int turn;
    /** No valid conversion by this time (micros) = DISCONNECTED. */
    long deadline;
    /** Not polled before this time (micros), after an unclean read. */
    long quietUntil;
    int faultRun;
    int backoff = 1;

    Chip(String pins, Hx711Gpio gpio, Hx711 hx) {
      this.pins = pins;
      this.gpio = gpio;
      this.hx = hx;
    }

    /**
     * Power-cycles the chip: it restarts at A128 and its output settles before we trust it. With
     * {@code grace}, the ready timeout restarts after the settling time; without, it keeps running.
     */
    void reset(long now, boolean grace) {
      hx.powerDown();
      hx.powerUp();
      inEffect = Gain.A128;
      discard = settings.sampleRate().settlingConversions();
      if (grace) {
        deadline = now + settings.sampleRate().settlingMicros() + settings.readyTimeoutMicros();
      }
    }

    /** Reads the chip if it has a conversion ready; reports a timeout. True when it read. */
    boolean poll() {
      long now = gpio.micros();
      if (now - quietUntil < 0) {
        if (now - deadline >= 0) {
          disconnected(now);
        }
        return false;
      }
      if (hx.isReady()) {
        read(now);
        return true;
      }
      if (now - deadline >= 0) {
        disconnected(now);
      }
      return false;
    }

    private void read(long now) {
      Slot current = slotOf(inEffect);
      boolean deliver = discard == 0 && current != null;
      int nextTurn = deliver ? (slots.indexOf(current) + 1) % slots.size() : turn;
      Gain next = slots.get(nextTurn).channel.gain();
      Hx711.Read r = hx.read(next);
      if (!r.clean()) {
        // Stretched pulse or DOUT not released: the chip may have reset and lost its gain. Reset
        // it to a known state, without counting this as progress, and leave it alone for a
        // period so a DOUT stuck low does not spin this thread.
        glitches.incrementAndGet();
        log.debug("{}: chip {} read was not clean; resetting it", deviceId, pins);
        reset(gpio.micros(), false);
        quietUntil = now + settings.sampleRate().periodMicros();
        return;
      }
      deadline = now + settings.readyTimeoutMicros();
      if (discard > 0) {
        discard--;
      }
      if (next != inEffect) {
        inEffect = next;
        discard = settings.sampleRate().settlingConversions();
      }
      turn = nextTurn;
      // Last: delivering may count a fault and power-cycle the chip, which resets the state above.
      if (deliver) {
        deliver(current, r.value());
      } else {
        discarded.incrementAndGet();
      }
    }

    private void deliver(Slot slot, int value) {
      ReadingStatus status;
      if (Hx711.isSaturated(value)) {
        status = ReadingStatus.SATURATED;
        slot.sameRun = 0;
      } else {
        slot.sameRun = slot.haveLast && slot.lastValue == value ? slot.sameRun + 1 : 1;
        status = slot.sameRun >= settings.stuckSamples() ? ReadingStatus.STUCK : ReadingStatus.OK;
      }
      slot.haveLast = true;
      slot.lastValue = value;
      emit(slot, slot.channel.grams(value), status);
      if (status == ReadingStatus.STUCK) {
        fault();
      } else if (status.ok() && slots.stream().allMatch(s -> s.lastStatus.ok())) {
        faultRun = 0;
        backoff = 1;
      }
    }

    private void disconnected(long now) {
      for (Slot s : slots) {
        emit(s, Double.NaN, ReadingStatus.DISCONNECTED);
      }
      deadline = now + settings.readyTimeoutMicros();
      fault();
    }

    /** A DISCONNECTED or STUCK report; enough in a row and the chip is power-cycled. */
    private void fault() {
      if (++faultRun >= settings.powerCycleAfterFaults() * backoff) {
        faultRun = 0;
        backoff = Math.min(backoff * 2, MAX_BACKOFF);
        powerCycles.incrementAndGet();
        log.info("{}: power-cycling chip on pins {}", deviceId, pins);
        reset(gpio.micros(), true);
      }
    }

    void ioFailed(RuntimeException e) {
      if (ioErrors.getAndIncrement() % 1000 == 0) {
        log.error("{}: GPIO error on chip {} ({} errors so far)", deviceId, pins, ioErrors.get(), e);
      }
      long now = gpio.micros();
      if (now - deadline >= 0) {
        for (Slot s : slots) {
          emit(s, Double.NaN, ReadingStatus.DISCONNECTED);
        }
        deadline = now + settings.readyTimeoutMicros();
      }
    }

    private Slot slotOf(Gain g) {
      for (Slot s : slots) {
        if (s.channel.gain() == g) {
          return s;
        }
      }
      return null;
    }
  }

  /** Name of the reading thread of {@code deviceId}. */
  public static String threadName(String deviceId) {
    return "hx711-" + deviceId;
  }
}
