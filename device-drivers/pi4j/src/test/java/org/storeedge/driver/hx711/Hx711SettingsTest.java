package org.storeedge.driver.hx711;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.storeedge.driver.hx711.TestDevices.device;
import static org.storeedge.driver.hx711.TestDevices.map;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.Location;
import org.storeedge.core.device.DriverRegistry;
import org.storeedge.core.time.VirtualScheduler;

class Hx711SettingsTest {
  private final Hx711DriverFactory factory = new Hx711DriverFactory();

  private List<ConfigProblem> problems(Map<String, Object> settings) {
    return factory.validate(device("bank-1", settings));
  }

  private static Map<String, Object> oneChannel(Object... kv) {
    return map("channels", map("0", map(kv)));
  }

  @Test
  void aValidDeviceParsesWithItsValuesAndDefaults() {
    Hx711Settings s = Hx711Settings.parse(TestDevices.valid().settings()).settings();
    assertThat(s.provider()).isEqualTo("gpiod");
    assertThat(s.sampleRate()).isEqualTo(SampleRate.SPS_80);
    assertThat(s.stuckSamples()).isEqualTo(40);
    assertThat(s.powerCycleAfterFaults()).isEqualTo(Hx711Settings.DEFAULT_POWER_CYCLE_AFTER_FAULTS);
    assertThat(s.readyTimeoutMicros()).isEqualTo(5 * 12_500);
    assertThat(s.channels().keySet()).containsExactly("0", "1", "2");
    assertThat(s.channels().get("1")).isEqualTo(new Hx711Settings.Channel("1", 5, 6, Gain.B32, -310, 105.2));
    assertThat(s.channels().get("2")).isEqualTo(new Hx711Settings.Channel("2", 13, 19, Gain.A128, 0, 1));
    assertThat(s.channels().get("0").grams(8123 + 841)).isEqualTo(2.0);
  }

  @Test
  void defaultsAreTenSamplesPerSecondAutoProviderAndFiftyForStuck() {
    Hx711Settings s = Hx711Settings.parse(device("d", oneChannel("dataPin", 5, "clockPin", 6)).settings()).settings();
    assertThat(s.sampleRate()).isEqualTo(SampleRate.SPS_10);
    assertThat(s.provider()).isEqualTo("auto");
    assertThat(s.stuckSamples()).isEqualTo(50);
    assertThat(s.readyTimeoutMicros()).isEqualTo(500_000);
  }

  @Test
  void channelsMayBeAListWithChannelKeys() {
    Map<String, Object> m = map("channels", List.of(
        map("channel", "left", "dataPin", 5, "clockPin", 6),
        map("channel", 7, "dataPin", 13, "clockPin", 19, "gain", "a64")));
    Hx711Settings s = Hx711Settings.parse(device("d", m).settings()).settings();
    assertThat(s.channels().keySet()).containsExactly("left", "7");
    assertThat(s.channels().get("7").gain()).isEqualTo(Gain.A64);
  }

  @Test
  void topLevelProblemsAreLocatedAtTheirKey() {
    List<ConfigProblem> p = problems(map("sampleRateHz", 20, "provider", "GPIO D", "stuckSamples", 1,
        "bogus", true, "channels", map("0", map("dataPin", 5, "clockPin", 6))));
    assertThat(p).extracting(ConfigProblem::keyPath).containsExactlyInAnyOrder(
        "devices[0].settings.sampleRateHz", "devices[0].settings.provider",
        "devices[0].settings.stuckSamples", "devices[0].settings.bogus");
    ConfigProblem rate = p.stream().filter(x -> x.keyPath().endsWith("sampleRateHz")).findFirst().orElseThrow();
    assertThat(rate.location()).isEqualTo(new Location(TestDevices.FILE, 10, 7));
    assertThat(rate.message()).contains("10 or 80").contains("(got: 20)");
  }

  @Test
  void channelProblemsNameTheNestedKeyAndSitAtChannels() {
    List<ConfigProblem> p = problems(map("channels", map(
        "0", map("dataPin", 40, "clockPin", 6, "gain", "A256", "scale", 0, "colour", "red"),
        "1", map("clockPin", 7))));
    assertThat(p).extracting(ConfigProblem::keyPath).containsExactlyInAnyOrder(
        "devices[0].settings.channels.0.dataPin", "devices[0].settings.channels.0.gain",
        "devices[0].settings.channels.0.scale", "devices[0].settings.channels.0.colour",
        "devices[0].settings.channels.1.dataPin");
    assertThat(p).allMatch(x -> x.location().equals(new Location(TestDevices.FILE, 10, 7)));
    assertThat(p).anyMatch(x -> x.message().contains("0..27") && x.message().contains("(got: 40)"));
  }

  @Test
  void aPinSharedBetweenTwoChipsIsRejected() {
    List<ConfigProblem> p = problems(map("channels", map(
        "0", map("dataPin", 5, "clockPin", 6),
        "1", map("dataPin", 13, "clockPin", 6))));
    assertThat(p).singleElement().satisfies(x -> {
      assertThat(x.keyPath()).isEqualTo("devices[0].settings.channels.1");
      assertThat(x.message()).contains("GPIO 6").contains("own data and clock pins");
    });
  }

  @Test
  void twoChannelsOnTheSameInputOfOneChipAreRejectedButAandBAreFine() {
    assertThat(problems(map("channels", map(
        "0", map("dataPin", 5, "clockPin", 6, "gain", "A128"),
        "1", map("dataPin", 5, "clockPin", 6, "gain", "A64")))))
        .singleElement().satisfies(x -> assertThat(x.message()).contains("input A"));
    assertThat(problems(map("channels", map(
        "0", map("dataPin", 5, "clockPin", 6, "gain", "A128"),
        "1", map("dataPin", 5, "clockPin", 6, "gain", "B32"))))).isEmpty();
  }

  @Test
  void missingOrEmptyChannelsAndEqualPinsAreProblems() {
    assertThat(problems(map())).extracting(ConfigProblem::keyPath).containsExactly("devices[0].settings.channels");
    assertThat(problems(map("channels", map()))).extracting(ConfigProblem::keyPath).containsExactly("devices[0].settings.channels");
    assertThat(problems(map("channels", "5,6"))).extracting(ConfigProblem::keyPath).containsExactly("devices[0].settings.channels");
    assertThat(problems(oneChannel("dataPin", 5, "clockPin", 5)))
        .singleElement().satisfies(x -> assertThat(x.keyPath()).endsWith("channels.0.clockPin"));
    assertThat(problems(map("readyTimeoutMillis", 10, "channels", map("0", map("dataPin", 5, "clockPin", 6)))))
        .singleElement().satisfies(x -> assertThat(x.message()).contains(">= 200"));
  }

  @Test
  void theFactoryIsFoundByServiceLoaderAndRefusesInvalidSettings() {
    DriverRegistry registry = DriverRegistry.discover(List.of());
    assertThat(registry.factory("hx711")).get().isInstanceOf(Hx711DriverFactory.class);
    assertThat(registry.validate(TestDevices.valid())).isEmpty();

    var bad = device("bank-9", map("sampleRateHz", 11));
    assertThatThrownBy(() -> factory.create(bad, List.of(), new VirtualScheduler(java.time.Instant.EPOCH), r -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bank-9");
  }

  @Test
  void createDoesNoIoAndChecksLaneChannels() {
    var d = factory.create(TestDevices.valid(), TestDevices.lanes("a1", "0", "b1", "1"),
        new VirtualScheduler(java.time.Instant.EPOCH), r -> {});
    assertThat(d.deviceId()).isEqualTo("bank-1");
    d.stop();
    assertThatThrownBy(() -> factory.create(TestDevices.valid(), TestDevices.lanes("x", "9"),
        new VirtualScheduler(java.time.Instant.EPOCH), r -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'9'");
  }
}
