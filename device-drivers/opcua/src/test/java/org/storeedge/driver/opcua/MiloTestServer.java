package org.storeedge.driver.opcua;

import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;
import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

/**
 * A real OPC UA server (Eclipse Milo SDK) in the test JVM: one namespace ({@code ns=2}) with a
 * Double variable per name, e.g. {@code ns=2;s=Shelf1.Lane1.WeightGrams}, that the test writes.
 * Listens on 127.0.0.1 with a None endpoint and a Basic256Sha256/SignAndEncrypt endpoint, both
 * accepting anonymous and user name logins ({@link #USER}/{@link #PASSWORD}). Its certificate is
 * made once per JVM so a restarted server is the same server to the client.
 */
final class MiloTestServer implements AutoCloseable {
  static final String NAMESPACE_URI = "urn:storeedge:test:shelves";
  static final String USER = "shelf-reader";
  static final String PASSWORD = "weigh-it-2024";
  static final String PATH = "/shelves";

  private static KeyPair serverKeyPair;
  private static X509Certificate serverCertificate;

  final int port;
  private final List<String> variables;
  private final List<X509Certificate> trustedClients = new CopyOnWriteArrayList<>();
  private final boolean allowAnonymous;
  private final List<String> loginAttempts = new CopyOnWriteArrayList<>();
  private final Map<String, DataValue> lastValues = new LinkedHashMap<>();
  private OpcUaServer server;
  private ShelfNamespace namespace;

  MiloTestServer(int port, List<String> variables, boolean allowAnonymous) {
    this.port = port;
    this.variables = List.copyOf(variables);
    this.allowAnonymous = allowAnonymous;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static synchronized X509Certificate certificate() throws Exception {
    if (serverCertificate == null) {
      serverKeyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
      serverCertificate = new SelfSignedCertificateBuilder(serverKeyPair)
          .setCommonName("StoreEdge test shelf server")
          .setOrganization("StoreEdge tests")
          .setApplicationUri("urn:storeedge:test:shelf-server")
          .addDnsName("localhost")
          .addIpAddress("127.0.0.1")
          .build();
    }
    return serverCertificate;
  }

  String endpointUrl() {
    return "opc.tcp://127.0.0.1:" + port + PATH;
  }

  void trustClient(X509Certificate certificate) {
    trustedClients.add(certificate);
  }

  /** User names of every login the server checked, in order (anonymous logins not included). */
  List<String> loginAttempts() {
    return List.copyOf(loginAttempts);
  }

  synchronized void start() throws Exception {
    X509Certificate cert = certificate();
    MemoryTrustListManager trust = new MemoryTrustListManager();
    trust.setTrustedCertificates(new ArrayList<>(trustedClients));
    var quarantine = new MemoryCertificateQuarantine();
    var factory = new RsaSha256CertificateFactory() {
      @Override
      protected KeyPair createRsaSha256KeyPair() {
        return serverKeyPair;
      }

      @Override
      protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair) {
        return new X509Certificate[] {serverCertificate};
      }
    };
    var group = DefaultApplicationGroup.createAndInitialize(trust, new MemoryCertificateStore(), factory,
        new DefaultServerCertificateValidator(trust, quarantine));
    var certificates = new DefaultCertificateManager(quarantine, group);

    var users = new UsernameIdentityValidator(challenge -> {
      loginAttempts.add(challenge.getUsername());
      return USER.equals(challenge.getUsername()) && PASSWORD.equals(challenge.getPassword());
    });

    Set<EndpointConfig> endpoints = new LinkedHashSet<>();
    EndpointConfig.Builder base = EndpointConfig.newBuilder()
        .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
        .setBindAddress("127.0.0.1")
        .setBindPort(port)
        .setHostname("127.0.0.1")
        .setPath(PATH)
        .setCertificate(cert)
        .addTokenPolicies(USER_TOKEN_POLICY_ANONYMOUS, USER_TOKEN_POLICY_USERNAME);
    endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.None).setSecurityMode(MessageSecurityMode.None).build());
    endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256)
        .setSecurityMode(MessageSecurityMode.SignAndEncrypt).build());

    OpcUaServerConfig config = OpcUaServerConfig.builder()
        .setApplicationUri("urn:storeedge:test:shelf-server")
        .setApplicationName(LocalizedText.english("StoreEdge test shelf server"))
        .setProductUri("urn:storeedge:test")
        .setEndpoints(endpoints)
        .setCertificateManager(certificates)
        .setIdentityValidator(allowAnonymous
            ? new CompositeValidator(AnonymousIdentityValidator.INSTANCE, users)
            : users)
        .build();

    server = new OpcUaServer(config, profile -> new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
    namespace = new ShelfNamespace(server);
    namespace.startup();
    server.startup().get(60, TimeUnit.SECONDS);
  }

  /** Stops the server, closing every client connection. Values written so far are forgotten. */
  synchronized void stop() throws Exception {
    if (server != null) {
      namespace.shutdown();
      server.shutdown().get(60, TimeUnit.SECONDS);
      server = null;
      namespace = null;
    }
  }

  @Override
  public void close() throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sets the variable's value with a source timestamp of now. */
  void write(String name, double value) {
    set(name, new DataValue(new Variant(value), StatusCode.GOOD, DateTime.now(), DateTime.now()));
  }

  /** Sets the variable to {@code value} with status {@code status} (null value allowed). */
  void write(String name, Object value, StatusCode status) {
    set(name, new DataValue(value == null ? Variant.NULL_VALUE : new Variant(value), status, DateTime.now(), DateTime.now()));
  }

  private synchronized void set(String name, DataValue value) {
    lastValues.put(name, value);
    if (namespace != null) {
      namespace.variable(name).setValue(value);
    }
  }

  private final class ShelfNamespace extends ManagedNamespaceWithLifecycle {
    private final SubscriptionModel subscriptions;
    private final Map<String, UaVariableNode> nodes = new LinkedHashMap<>();

    ShelfNamespace(OpcUaServer server) {
      super(server, NAMESPACE_URI);
      subscriptions = new SubscriptionModel(server, this);
      getLifecycleManager().addLifecycle(subscriptions);
      getLifecycleManager().addStartupTask(this::addNodes);
    }

    UaVariableNode variable(String name) {
      UaVariableNode n = nodes.get(name);
      if (n == null) {
        throw new IllegalArgumentException("no variable " + name);
      }
      return n;
    }

    private void addNodes() {
      UaFolderNode folder = new UaFolderNode(getNodeContext(), newNodeId("Shelves"), newQualifiedName("Shelves"),
          LocalizedText.english("Shelves"));
      getNodeManager().addNode(folder);
      folder.addReference(new Reference(folder.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), false));
      for (String name : variables) {
        UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
            .setNodeId(newNodeId(name))
            .setAccessLevel(AccessLevel.READ_WRITE)
            .setUserAccessLevel(AccessLevel.READ_WRITE)
            .setBrowseName(newQualifiedName(name))
            .setDisplayName(LocalizedText.english(name))
            .setDataType(NodeIds.Double)
            .setTypeDefinition(NodeIds.BaseDataVariableType)
            .build();
        DataValue last;
        synchronized (MiloTestServer.this) {
          last = lastValues.get(name);
        }
        node.setValue(last != null ? last : new DataValue(new Variant(0.0), StatusCode.GOOD, DateTime.now(), DateTime.now()));
        getNodeManager().addNode(node);
        folder.addOrganizes(node);
        nodes.put(name, node);
      }
    }

    @Override
    public void onDataItemsCreated(List<DataItem> dataItems) {
      subscriptions.onDataItemsCreated(dataItems);
    }

    @Override
    public void onDataItemsModified(List<DataItem> dataItems) {
      subscriptions.onDataItemsModified(dataItems);
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> dataItems) {
      subscriptions.onDataItemsDeleted(dataItems);
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
      subscriptions.onMonitoringModeChanged(monitoredItems);
    }
  }
}
