package org.storeedge.driver.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.config.ConfigProblem;
import org.storeedge.core.device.DriverRegistry;

class OpcUaSettingsTest {
  @TempDir Path dir;

  private static List<ConfigProblem> problems(Map<String, Object> settings) {
    return new OpcUaDriverFactory().validate(Devices.device("shelf-1", settings));
  }

  private static ConfigProblem only(List<ConfigProblem> problems) {
    assertThat(problems).hasSize(1);
    return problems.get(0);
  }

  @Test
  void aMinimalDeviceIsValidWithDefaults() {
    List<ConfigProblem> problems = new ArrayList<>();
    OpcUaSettings s = OpcUaSettings.parse("shelf-1", Devices.device("shelf-1", Map.of(
        "endpoint", "opc.tcp://plc.store.local:4840",
        "nodes", Map.of("0", "ns=2;s=Shelf1.Lane1.WeightGrams", "1", "ns=3;i=1001"))).settings(), problems).orElseThrow();
    assertThat(problems).isEmpty();
    assertThat(s.host()).isEqualTo("plc.store.local");
    assertThat(s.port()).isEqualTo(4840);
    assertThat(s.securityPolicy()).isEqualTo(OpcUaSettings.Security.None);
    assertThat(s.securityMode()).isEqualTo(OpcUaSettings.Mode.None);
    assertThat(s.samplingIntervalMs()).isEqualTo(100);
    assertThat(s.publishingIntervalMs()).isEqualTo(100);
    assertThat(s.gramsPerUnit()).isEqualTo(1);
    assertThat(s.nodes()).containsOnlyKeys("0", "1");
    assertThat(s.trustedServerCertificates()).isEqualTo(s.certificateDir().resolve("trusted"));
  }

  @Test
  void problemsAreLocatedAtTheirKey() {
    ConfigProblem p = only(problems(Devices.settings("http://10.0.0.5:4840")));
    assertThat(p.keyPath()).isEqualTo("devices[0].settings.endpoint");
    assertThat(p.location().line()).isEqualTo(10);
    assertThat(p.message()).contains("opc.tcp://");
  }

  @Test
  void eachBadSettingIsReported() {
    List<ConfigProblem> problems = problems(Devices.settings("opc.tcp://10.0.0.5:4840",
        "securityPolicy", "Basic256Sha256", "securityMode", "None",
        "samplingIntervalMs", 0, "publishingIntervalMs", "soon",
        "unit", "pounds", "username", "reader", "colour", "blue",
        "nodes", Map.of("lane1", "ns=2;q=nonsense", "lane2", 17)));
    assertThat(problems).extracting(ConfigProblem::keyPath).containsExactlyInAnyOrder(
        "devices[0].settings.colour",
        "devices[0].settings.securityMode",
        "devices[0].settings.passwordFile",
        "devices[0].settings.samplingIntervalMs",
        "devices[0].settings.publishingIntervalMs",
        "devices[0].settings.nodes.lane1",
        "devices[0].settings.nodes.lane2",
        "devices[0].settings.unit");
    assertThat(problems).allMatch(p -> p.location().line() > 0 && !p.message().isBlank());
  }

  @Test
  void anInlinePasswordIsRefusedWithTheReason() {
    ConfigProblem p = only(problems(Devices.settings("opc.tcp://10.0.0.5:4840", "password", "hunter2")));
    assertThat(p.keyPath()).endsWith(".password");
    assertThat(p.message()).contains("passwordFile");
  }

  @Test
  void missingFilesAndDirectoriesAreReported() {
    List<ConfigProblem> problems = problems(Devices.settings("opc.tcp://10.0.0.5:4840",
        "username", "reader", "passwordFile", dir.resolve("nope.pw").toString(),
        "certificate", dir.resolve("client.pem").toString(),
        "trustedServerCertificates", dir.resolve("no-such-dir").toString()));
    assertThat(problems).extracting(ConfigProblem::keyPath).contains(
        "devices[0].settings.passwordFile", "devices[0].settings.certificate",
        "devices[0].settings.privateKey", "devices[0].settings.trustedServerCertificates");
  }

  @Test
  void endpointAndNodesAreRequired() {
    assertThat(problems(Map.of())).extracting(ConfigProblem::keyPath)
        .containsExactlyInAnyOrder("devices[0].settings.endpoint", "devices[0].settings.nodes");
  }

  @Test
  void nodeIdsIsAcceptedAsTheNameOfTheNodeMap() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), "secret");
    List<ConfigProblem> problems = new ArrayList<>();
    OpcUaSettings s = OpcUaSettings.parse("plc", Devices.device("plc", Map.of(
        "endpoint", "opc.tcp://10.0.0.5", "nodeIds", Map.of("lane1", "ns=2;s=Chiller.Lane1.NetWeight"),
        "unit", "kilograms", "username", "u", "passwordFile", pw.toString(),
        "securityPolicy", "Basic256Sha256", "securityMode", "Sign")).settings(), problems).orElseThrow();
    assertThat(s.nodes()).containsKey("lane1");
    assertThat(s.port()).isEqualTo(4840);
    assertThat(s.gramsPerUnit()).isEqualTo(1000);
    assertThat(s.securityMode()).isEqualTo(OpcUaSettings.Mode.Sign);
  }

  @Test
  void theFactoryIsFoundThroughServiceLoader() {
    DriverRegistry registry = DriverRegistry.discover(List.of());
    assertThat(registry.factory("opcua")).get().isInstanceOf(OpcUaDriverFactory.class);
  }
}
