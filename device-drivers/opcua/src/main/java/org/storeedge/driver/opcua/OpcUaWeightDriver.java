package org.storeedge.driver.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemSynchronizationException;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransportConfigBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.ReadingSink;
import org.storeedge.core.device.ReadingStatus;
import org.storeedge.core.device.WeightDriver;
import org.storeedge.core.device.WeightReading;
import org.storeedge.core.time.Scheduler;

/**
 * Reads lane loads from an OPC UA server (a shelf controller) through one subscription with one
 * monitored item per lane.
 *
 * <p>Threads: blocking client work (discovery, connect, creating the subscription, disconnect)
 * runs on one worker thread per driver, {@code opcua-<deviceId>}. Data changes arrive on Milo's
 * threads and are turned into readings and handed to the sink right there, under a short lock
 * (the sink does not block); Milo callbacks never call back into the client, they only queue work
 * for the worker. Retry timers run on the {@link Scheduler}; all times come from it.
 *
 * <p>Connection: until the first session is up the driver itself retries with exponential
 * back-off (1 s doubling to 30 s; a rejected user, untrusted certificate or missing endpoint
 * waits 30 s at once — it needs an operator). Once connected, Milo keeps the session alive and
 * reconnects on its own (back-off up to 16 s), transferring the subscription to the new session;
 * when the transfer fails (the server restarted) the driver creates the subscription again. While
 * no session is active every lane gets one DISCONNECTED reading. Nothing reconnects while data
 * flows: re-creation is triggered only by Milo's transfer-failure, subscription-timeout and
 * watchdog signals.
 */
public final class OpcUaWeightDriver implements WeightDriver {
  private static final Logger LOG = LoggerFactory.getLogger(OpcUaWeightDriver.class);

  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofSeconds(30);
  private static final long DISCOVERY_TIMEOUT_MS = 20_000;
  private static final long CONNECT_TIMEOUT_MS = 30_000;
  private static final long CLOSE_TIMEOUT_MS = 5_000;
  private static final int MAX_QUEUE_SIZE = 1000;

  private final String deviceId;
  private final OpcUaSettings settings;
  private final Scheduler scheduler;
  private final ReadingSink sink;
  private final List<LaneState> lanes;

  private final Object lock = new Object(); // guards lane states, running, generation, delivery
  private boolean running;
  private volatile long generation;

  private volatile ExecutorService worker;
  private volatile Scheduler.Cancellable retryTimer;
  private volatile OpcUaClient client; // written on the worker
  private volatile OpcUaSubscription subscription; // written on the worker
  private volatile boolean sessionActive;
  private volatile boolean everActive;
  private int failedAttempts; // worker only
  private String lastLoggedProblem; // worker only
  private volatile String lastError;
  private volatile ClientIdentity identity;
  private volatile String password;

  private final AtomicLong readings = new AtomicLong();
  private final AtomicLong faultReadings = new AtomicLong();
  private final AtomicLong duplicatesDropped = new AtomicLong();
  private final AtomicLong connectAttempts = new AtomicLong();
  private final AtomicLong connectFailures = new AtomicLong();
  private final AtomicLong sessionsLost = new AtomicLong();
  private final AtomicLong sessionsActivated = new AtomicLong();
  private final AtomicLong subscriptionsCreated = new AtomicLong();
  private final AtomicLong sinkErrors = new AtomicLong();

  /**
   * Counters since construction.
   *
   * @param readings readings delivered, any status
   * @param faultReadings delivered readings whose status is not OK
   * @param duplicatesDropped notifications dropped as not newer than the last delivered one
   * @param connectAttempts attempts to discover the endpoint and open the first session
   * @param connectFailures attempts that failed
   * @param sessionsActivated sessions that became active (the first one and every reconnect)
   * @param sessionsLost active sessions that went away
   * @param subscriptionsCreated subscriptions created on a server (1 + re-creations)
   * @param lastError the latest connection or subscription problem, null when none yet
   */
  public record Stats(long readings, long faultReadings, long duplicatesDropped, long connectAttempts,
      long connectFailures, long sessionsActivated, long sessionsLost, long subscriptionsCreated,
      long sinkErrors, String lastError) {}

  OpcUaWeightDriver(String deviceId, OpcUaSettings settings, List<StoreConfig.Lane> lanes, Scheduler scheduler, ReadingSink sink) {
    this.deviceId = deviceId;
    this.settings = settings;
    this.scheduler = scheduler;
    this.sink = sink;
    List<LaneState> states = new ArrayList<>();
    for (StoreConfig.Lane lane : lanes) {
      states.add(new LaneState(lane.id(), lane.channel(), settings.nodes().get(lane.channel())));
    }
    this.lanes = List.copyOf(states);
  }

  @Override
  public String deviceId() {
    return deviceId;
  }

  @Override
  public String name() {
    return "opcua:" + deviceId;
  }

  public Stats stats() {
    return new Stats(readings.get(), faultReadings.get(), duplicatesDropped.get(), connectAttempts.get(),
        connectFailures.get(), sessionsActivated.get(), sessionsLost.get(), subscriptionsCreated.get(),
        sinkErrors.get(), lastError);
  }

  /** Whether a session with the server is active now. */
  public boolean connected() {
    return sessionActive;
  }

  /**
   * Reads the local identity files (client certificate, password), generating the client
   * certificate on first use, then connects in the background and returns. A local file that
   * cannot be read fails here with a message naming it; everything remote is retried.
   */
  @Override
  public void start() throws IOException {
    synchronized (lock) {
      if (running) {
        throw new IllegalStateException(name() + " already started");
      }
    }
    password = settings.passwordFile().isPresent() ? ClientIdentity.readSecret(settings.passwordFile().get()) : null;
    identity = settings.secured() ? ClientIdentity.load(settings, deviceId) : null;
    if (identity != null && settings.clientCertificate().isEmpty() && settings.keyStore().isEmpty()) {
      LOG.info("{}: client certificate {} (give it to the server's trust list)", name(),
          settings.certificateDir().resolve(ClientIdentity.GENERATED_CERT_DER));
    }
    long gen;
    ExecutorService w = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "opcua-" + deviceId);
      t.setDaemon(true);
      return t;
    });
    synchronized (lock) {
      running = true;
      gen = ++generation;
      worker = w;
      failedAttempts = 0;
      lastLoggedProblem = null;
      long now = scheduler.millis();
      for (LaneState lane : lanes) {
        if (lane.nodeId == null) {
          LOG.error("{}: lane {} has channel '{}' but settings.nodes has no NodeId for it; the lane reports INVALID",
              name(), lane.laneId, lane.channel);
          deliver(lane.invalid(now));
        }
      }
    }
    w.execute(() -> connect(gen));
  }

  /** Stops delivery at once (no reading reaches the sink after this returns), then closes the session. */
  @Override
  public void stop() {
    ExecutorService w;
    synchronized (lock) {
      if (!running) {
        return;
      }
      running = false;
      generation++;
      w = worker;
      worker = null;
    }
    Scheduler.Cancellable t = retryTimer;
    if (t != null) {
      t.cancel();
    }
    try {
      w.execute(this::closeClient);
    } catch (RejectedExecutionException e) {
      // already shut down
    }
    w.shutdown();
    try {
      if (!w.awaitTermination(CLOSE_TIMEOUT_MS * 3, TimeUnit.MILLISECONDS)) {
        LOG.warn("{}: closing the OPC UA session took too long; abandoning it", name());
        w.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      w.shutdownNow();
    }
    sessionActive = false;
  }

  // ---- worker -------------------------------------------------------------------------------

  private boolean current(long gen) {
    return generation == gen && worker != null;
  }

  private void connect(long gen) {
    if (!current(gen)) {
      return;
    }
    connectAttempts.incrementAndGet();
    OpcUaClient c = null;
    try {
      Consumer<OpcTcpClientTransportConfigBuilder> transport = b -> b.setConnectTimeout(uint(5_000));
      List<EndpointDescription> endpoints = DiscoveryClient.getEndpoints(settings.endpoint(), transport)
          .get(DISCOVERY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      EndpointDescription endpoint = EndpointUtil.updateUrl(selectEndpoint(endpoints), settings.host(), settings.port());
      c = OpcUaClient.create(clientConfig(endpoint), transport);
      c.addSessionActivityListener(new SessionListener(gen));
      c.connectAsync().get(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      if (!current(gen)) {
        closeQuietly(c);
        return;
      }
      client = c;
      failedAttempts = 0;
      lastLoggedProblem = null;
      LOG.info("{}: connected to {} ({}/{}{})", name(), settings.endpoint(), settings.securityPolicy(),
          settings.securityMode(), settings.username().map(u -> ", user " + u).orElse(""));
      createSubscription(gen);
    } catch (Exception e) {
      if (c != null) {
        closeQuietly(c);
      }
      if (!current(gen)) {
        return;
      }
      failedAttempts++;
      Throwable cause = unwrap(e);
      Problem p = classify(cause);
      problem(p.message);
      markAllDisconnected();
      Duration delay = p.needsOperator ? MAX_RETRY : backoff(failedAttempts);
      LOG.debug("{}: next connection attempt in {}", name(), delay);
      retry(gen, delay, () -> connect(gen));
      connectFailures.incrementAndGet(); // last: once counted, the retry is already with the scheduler
    }
  }

  private OpcUaClientConfig clientConfig(EndpointDescription endpoint) throws IOException {
    OpcUaClientConfigBuilder b = OpcUaClientConfig.builder()
        .setEndpoint(endpoint)
        .setApplicationName(LocalizedText.english("StoreEdge " + deviceId))
        .setApplicationUri(identity != null ? identity.applicationUri() : ClientIdentity.defaultUri(deviceId))
        .setProductUri("urn:storeedge")
        .setRequestTimeout(uint(10_000))
        .setIdentityProvider(identityProvider());
    ClientIdentity id = identity;
    if (id != null) {
      MemoryTrustListManager trust = new MemoryTrustListManager();
      Files.createDirectories(settings.trustedServerCertificates());
      trust.setTrustedCertificates(ClientIdentity.trustedCertificates(settings.trustedServerCertificates()));
      var quarantine = FileBasedCertificateQuarantine.create(settings.certificateDir().resolve("rejected"));
      b.setKeyPair(id.keyPair())
          .setCertificate(id.certificate())
          .setCertificateChain(id.chain())
          .setCertificateValidator(new DefaultClientCertificateValidator(trust, quarantine));
    }
    return b.build();
  }

  private IdentityProvider identityProvider() {
    if (settings.username().isPresent()) {
      return new UsernameProvider(settings.username().get(), password);
    }
    return new AnonymousProvider();
  }

  private EndpointDescription selectEndpoint(List<EndpointDescription> endpoints) throws UaException {
    String policyUri = settings.securityPolicy() == OpcUaSettings.Security.None
        ? SecurityPolicy.None.getUri() : SecurityPolicy.Basic256Sha256.getUri();
    MessageSecurityMode mode = switch (settings.securityMode()) {
      case None -> MessageSecurityMode.None;
      case Sign -> MessageSecurityMode.Sign;
      case SignAndEncrypt -> MessageSecurityMode.SignAndEncrypt;
    };
    UserTokenType token = settings.username().isPresent() ? UserTokenType.UserName : UserTokenType.Anonymous;
    Optional<EndpointDescription> match = endpoints.stream()
        .filter(e -> policyUri.equals(e.getSecurityPolicyUri()) && e.getSecurityMode() == mode)
        .filter(e -> e.getUserIdentityTokens() != null
            && Stream.of(e.getUserIdentityTokens()).map(UserTokenPolicy::getTokenType).anyMatch(token::equals))
        .findFirst();
    if (match.isPresent()) {
      return match.get();
    }
    List<String> offered = endpoints.stream().map(e -> SecurityPolicy.fromUriSafe(e.getSecurityPolicyUri())
        .map(Enum::name).orElse(e.getSecurityPolicyUri()) + "/" + e.getSecurityMode() + " "
        + (e.getUserIdentityTokens() == null ? "[]" : Stream.of(e.getUserIdentityTokens()).map(t -> t.getTokenType().name()).toList()))
        .distinct().toList();
    throw new UaException(StatusCodes.Bad_ConfigurationError, "the server offers no endpoint with "
        + settings.securityPolicy() + "/" + settings.securityMode() + " and " + token + " login; it offers " + offered);
  }

  private void createSubscription(long gen) {
    OpcUaClient c = client;
    if (!current(gen) || c == null) {
      return;
    }
    OpcUaSubscription old = subscription;
    subscription = null;
    if (old != null) {
      old.setSubscriptionListener(null);
      if (old.getSyncState() != OpcUaSubscription.SyncState.INITIAL) {
        old.deleteAsync(); // best effort: the server drops it at its lifetime anyway
      }
    }
    try {
      OpcUaSubscription sub = new OpcUaSubscription(c, settings.publishingIntervalMs());
      sub.setSubscriptionListener(new SubscriptionListener(gen, sub));
      sub.create();
      List<OpcUaMonitoredItem> items = new ArrayList<>();
      Map<OpcUaMonitoredItem, LaneState> laneOf = new LinkedHashMap<>();
      long queue = Math.min(MAX_QUEUE_SIZE, (long) Math.ceil(settings.publishingIntervalMs() / settings.samplingIntervalMs()) + 1);
      for (LaneState lane : lanes) {
        if (lane.nodeId == null) {
          continue;
        }
        OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(lane.nodeId);
        item.setSamplingInterval(settings.samplingIntervalMs());
        item.setQueueSize(uint(queue));
        item.setDiscardOldest(true);
        item.setDataValueListener((it, value) -> onValue(gen, lane, value));
        items.add(item);
        laneOf.put(item, lane);
      }
      sub.addMonitoredItems(items);
      subscription = sub;
      subscriptionsCreated.incrementAndGet();
      try {
        sub.synchronizeMonitoredItems();
      } catch (MonitoredItemSynchronizationException e) {
        for (MonitoredItemServiceOperationResult r : e.getCreateResults()) {
          if (!r.isGood()) {
            LaneState lane = laneOf.get(r.monitoredItem());
            StatusCode sc = r.operationResult().orElse(r.serviceResult());
            LOG.error("{}: lane {}: the server refused to monitor {}: {}; the lane reports INVALID",
                name(), lane == null ? "?" : lane.laneId, r.monitoredItem().getReadValueId().getNodeId(), statusName(sc));
            if (lane != null) {
              synchronized (lock) {
                if (current(gen)) {
                  deliver(lane.invalid(scheduler.millis()));
                }
              }
            }
          }
        }
      }
      LOG.info("{}: subscribed to {} lanes (sampling {} ms, publishing {} ms, queue {})", name(), items.size(),
          settings.samplingIntervalMs(), sub.getRevisedPublishingInterval().orElse(settings.publishingIntervalMs()), queue);
    } catch (Exception e) {
      if (!current(gen)) {
        return;
      }
      problem("could not create the subscription: " + describe(unwrap(e)));
      failedAttempts++;
      retry(gen, backoff(failedAttempts), () -> ensureSubscription(gen));
    }
  }

  /**
   * After a session became active: creates the subscription unless it survived on the server. A
   * surviving subscription only reports changes, so the lanes' current values are read once to
   * bring lanes whose load did not change back to OK (duplicates are dropped as usual).
   */
  private void ensureSubscription(long gen) {
    OpcUaSubscription sub = subscription;
    OpcUaClient c = client;
    if (c == null || !sessionActive) {
      return;
    }
    if (sub == null || sub.getSyncState() == OpcUaSubscription.SyncState.INITIAL) {
      createSubscription(gen);
      return;
    }
    List<LaneState> monitored = lanes.stream().filter(l -> l.nodeId != null).toList();
    try {
      List<DataValue> values = c.readValuesAsync(0.0, TimestampsToReturn.Both, monitored.stream().map(l -> l.nodeId).toList())
          .get(CLOSE_TIMEOUT_MS * 2, TimeUnit.MILLISECONDS);
      for (int i = 0; i < values.size() && i < monitored.size(); i++) {
        onValue(gen, monitored.get(i), values.get(i));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // the subscription delivers the next change anyway
      LOG.debug("{}: reading the current values after reconnecting failed: {}", name(), e.toString());
    }
  }

  private void closeClient() {
    OpcUaClient c = client;
    OpcUaSubscription sub = subscription;
    client = null;
    subscription = null;
    if (sub != null) {
      sub.setSubscriptionListener(null);
    }
    if (c != null) {
      if (sub != null && sub.getSyncState() != OpcUaSubscription.SyncState.INITIAL && sessionActive) {
        try {
          sub.deleteAsync().toCompletableFuture().get(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          LOG.debug("{}: deleting the subscription failed: {}", name(), e.toString());
        }
      }
      closeQuietly(c);
      LOG.info("{}: disconnected from {}", name(), settings.endpoint());
    }
  }

  private void closeQuietly(OpcUaClient c) {
    try {
      c.disconnectAsync().get(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.debug("{}: disconnect failed: {}", name(), e.toString());
    }
  }

  /** Runs {@code task} on the worker after {@code delay} of scheduler time, unless stopped first. */
  private void retry(long gen, Duration delay, Runnable task) {
    scheduler.execute(() -> {
      if (current(gen)) {
        retryTimer = scheduler.schedule(delay, () -> submit(gen, task));
      }
    });
  }

  private void submit(long gen, Runnable task) {
    ExecutorService w = worker;
    if (w == null || !current(gen)) {
      return;
    }
    try {
      w.execute(() -> {
        if (current(gen)) {
          task.run();
        }
      });
    } catch (RejectedExecutionException e) {
      // stopping
    }
  }

  static Duration backoff(int failures) {
    long ms = FIRST_RETRY.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
    return Duration.ofMillis(Math.min(ms, MAX_RETRY.toMillis()));
  }

  private void problem(String message) {
    lastError = message;
    if (!message.equals(lastLoggedProblem)) {
      LOG.error("{}: {}", name(), message);
      lastLoggedProblem = message;
    } else {
      LOG.debug("{}: {}", name(), message);
    }
  }

  // ---- readings (Milo threads) ---------------------------------------------------------------

  private void onValue(long gen, LaneState lane, DataValue value) {
    ReadingStatus before;
    WeightReading r;
    synchronized (lock) {
      if (!running || generation != gen) {
        return;
      }
      before = lane.status();
      r = lane.accept(value, scheduler.millis(), settings.gramsPerUnit());
      if (r == null) {
        duplicatesDropped.incrementAndGet();
        return;
      }
      deliver(r);
    }
    if (r.status() != before) {
      if (r.status().ok()) {
        if (before != null) {
          LOG.info("{}: lane {} OK again", name(), lane.laneId);
        }
      } else {
        LOG.warn("{}: lane {} {}: value {} status {}", name(), lane.laneId, r.status(),
            value.getValue() == null ? null : value.getValue().getValue(), statusName(value.getStatusCode()));
      }
    }
  }

  private void markAllDisconnected() {
    int n = 0;
    synchronized (lock) {
      if (!running) {
        return;
      }
      long now = scheduler.millis();
      for (LaneState lane : lanes) {
        if (lane.nodeId != null && deliver(lane.disconnected(now))) {
          n++;
        }
      }
    }
    if (n > 0) {
      LOG.warn("{}: {} lanes DISCONNECTED", name(), n);
    }
  }

  /** Hands {@code r} to the sink; caller holds {@link #lock}. */
  private boolean deliver(WeightReading r) {
    if (r == null) {
      return false;
    }
    readings.incrementAndGet();
    if (!r.status().ok()) {
      faultReadings.incrementAndGet();
    }
    try {
      sink.accept(r);
    } catch (RuntimeException e) {
      if (sinkErrors.getAndIncrement() == 0) {
        LOG.error("{}: the reading sink failed (further failures are only counted)", name(), e);
      }
    }
    return true;
  }

  // ---- Milo listeners -----------------------------------------------------------------------

  private final class SessionListener implements SessionActivityListener {
    private final long gen;

    SessionListener(long gen) {
      this.gen = gen;
    }

    @Override
    public void onSessionActive(UaSession session) {
      if (generation != gen) {
        return;
      }
      sessionActive = true;
      sessionsActivated.incrementAndGet();
      if (everActive) {
        LOG.info("{}: session re-established", name());
      }
      everActive = true;
      submit(gen, () -> ensureSubscription(gen));
    }

    @Override
    public void onSessionInactive(UaSession session) {
      if (generation != gen) {
        return;
      }
      sessionActive = false;
      sessionsLost.incrementAndGet();
      LOG.warn("{}: session with {} lost; reconnecting", name(), settings.endpoint());
      markAllDisconnected();
    }
  }

  private final class SubscriptionListener implements OpcUaSubscription.SubscriptionListener {
    private final long gen;
    private final OpcUaSubscription sub;

    SubscriptionListener(long gen, OpcUaSubscription sub) {
      this.gen = gen;
      this.sub = sub;
    }

    private void recreate(String why) {
      LOG.info("{}: {}; creating the subscription again", name(), why);
      submit(gen, () -> {
        if (subscription == sub) {
          createSubscription(gen);
        }
      });
    }

    @Override
    public void onTransferFailed(OpcUaSubscription s, StatusCode status) {
      recreate("subscription not transferred to the new session (" + statusName(status) + ")");
    }

    @Override
    public void onStatusChanged(OpcUaSubscription s, StatusCode status) {
      if ((status.getValue() & 0xFFFF0000L) == StatusCodes.Bad_Timeout) {
        recreate("the server timed the subscription out");
      }
    }

    @Override
    public void onWatchdogTimerElapsed(OpcUaSubscription s) {
      if (sessionActive) {
        recreate("no publish response within the keep-alive time");
      }
    }

    @Override
    public void onNotificationDataLost(OpcUaSubscription s) {
      LOG.warn("{}: the server could not republish missed notifications; some samples were lost", name());
    }
  }

  // ---- errors -------------------------------------------------------------------------------

  private record Problem(String message, boolean needsOperator) {}

  private Problem classify(Throwable e) {
    Optional<StatusCode> sc = UaException.extractStatusCode(e);
    long code = sc.map(s -> s.getValue() & 0xFFFF0000L).orElse(-1L);
    String endpoint = settings.endpoint();
    if (code == StatusCodes.Bad_UserAccessDenied || code == StatusCodes.Bad_IdentityTokenInvalid
        || code == StatusCodes.Bad_IdentityTokenRejected) {
      return new Problem("the server at " + endpoint + " rejected the login"
          + settings.username().map(u -> " of user '" + u + "' (check passwordFile " + settings.passwordFile().orElseThrow() + ")").orElse(" (anonymous login not allowed?)")
          + ": " + statusName(sc.get()) + "; retrying every " + MAX_RETRY.toSeconds() + " s", true);
    }
    if (code == StatusCodes.Bad_CertificateUntrusted || (sc.isPresent() && sc.get().isSecurityError())
        || code == StatusCodes.Bad_SecurityChecksFailed) {
      String hint = identity == null ? "" : "; if this client does not trust the server, its certificate was written to "
          + settings.certificateDir().resolve("rejected") + " — copy it into " + settings.trustedServerCertificates()
          + "; if the server does not trust this client, add " + settings.certificateDir().resolve(ClientIdentity.GENERATED_CERT_DER)
          + " (or the configured certificate) to the server's trust list";
      return new Problem("secure connection to " + endpoint + " refused: " + describe(e) + hint + "; retrying every "
          + MAX_RETRY.toSeconds() + " s", true);
    }
    if (code == StatusCodes.Bad_ConfigurationError) {
      return new Problem(describe(e) + "; retrying every " + MAX_RETRY.toSeconds() + " s", true);
    }
    if (e instanceof IOException) {
      return new Problem("cannot read the security files: " + e.getMessage(), true);
    }
    return new Problem("cannot reach the OPC UA server at " + endpoint + ": " + describe(e), false);
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.ExecutionException || t instanceof java.util.concurrent.CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(Throwable e) {
    if (e instanceof TimeoutException) {
      return "no answer in time";
    }
    Optional<StatusCode> sc = UaException.extractStatusCode(e);
    String msg = e.getMessage();
    if (sc.isPresent()) {
      String name = statusName(sc.get());
      return msg == null || msg.isBlank() || msg.contains(name) ? name : name + " (" + msg + ")";
    }
    return msg == null ? e.getClass().getSimpleName() : msg;
  }

  static String statusName(StatusCode sc) {
    if (sc == null) {
      return "Good";
    }
    return StatusCodes.lookup(sc.getValue()).map(a -> a[0]).orElse(String.format("0x%08X", sc.getValue()));
  }

  Collection<LaneState> lanes() {
    return lanes;
  }
}
