package org.storeedge.driver.opcua;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.DriverFactory;
import org.storeedge.core.device.ReadingSink;
import org.storeedge.core.device.WeightDriver;
import org.storeedge.core.device.WeightDriverContract;
import org.storeedge.core.time.SystemScheduler;

/**
 * The shared driver contract, run against the in-process Milo server. The rig plays a live scale:
 * it writes a slightly changing load to every healthy lane every 50 ms (OPC UA only notifies
 * changes); a broken lane reports Bad_SensorFailure and gets no new values until healed.
 */
class OpcUaWeightDriverContractTest extends WeightDriverContract {

  @Override
  protected Rig newRig(ReadingSink sink) throws Exception {
    MiloTestServer server = new MiloTestServer(MiloTestServer.freePort(), Devices.VARIABLES, true);
    server.start();
    SystemScheduler scheduler = new SystemScheduler("contract-scheduler");
    WeightDriver driver = new OpcUaDriverFactory().create(
        Devices.device("shelf-1", Devices.settings(server.endpointUrl())), Devices.lanes(), scheduler, sink);
    Map<String, String> variableOfLane = new LinkedHashMap<>();
    for (int i = 0; i < Devices.LANES.size(); i++) {
      variableOfLane.put(Devices.LANES.get(i), Devices.VARIABLES.get(i));
    }
    Set<String> broken = ConcurrentHashMap.newKeySet();
    AtomicLong tick = new AtomicLong();
    ScheduledExecutorService scale = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "test-scale");
      t.setDaemon(true);
      return t;
    });
    scale.scheduleAtFixedRate(() -> {
      long n = tick.incrementAndGet();
      variableOfLane.forEach((lane, variable) -> {
        if (!broken.contains(lane)) {
          server.write(variable, 500.0 + (n % 7) * 0.25);
        }
      });
    }, 0, 50, TimeUnit.MILLISECONDS);

    return new Rig() {
      @Override
      public WeightDriver driver() {
        return driver;
      }

      @Override
      public Set<String> laneIds() {
        return new LinkedHashSet<>(Devices.LANES);
      }

      @Override
      public String laneToBreak() {
        return "l2";
      }

      @Override
      public void breakLane(String laneId) {
        broken.add(laneId);
        server.write(variableOfLane.get(laneId), 0.0, new StatusCode(StatusCodes.Bad_SensorFailure));
      }

      @Override
      public void healLane(String laneId) {
        broken.remove(laneId);
      }

      @Override
      public void close() throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        scale.shutdownNow();
        try {
          scale.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        server.close();
        scheduler.close();
      }
    };
  }

  @Override
  protected DriverFactory factory() {
    return new OpcUaDriverFactory();
  }

  @Override
  protected StoreConfig.Device validDevice() {
    return Devices.device("shelf-1", Devices.settings("opc.tcp://10.0.0.5:4840"));
  }

  @Override
  protected StoreConfig.Device invalidDevice() {
    return Devices.device("shelf-1", Devices.settings("http://10.0.0.5:4840",
        "securityPolicy", "Basic128", "samplingIntervalMs", -5, "nodes", Map.of("lane1", "ns=2;x=what")));
  }
}
