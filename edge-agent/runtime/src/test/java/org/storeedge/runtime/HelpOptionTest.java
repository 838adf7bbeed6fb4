package org.storeedge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HelpOptionTest {
  /** Every subcommand of {@code storeedge}, as the command line knows them. */
  private static List<String> subcommands() {
    return List.copyOf(new CommandLine(new Main()).getSubcommands().keySet());
  }

  @Test
  void everySubcommandPrintsItsUsageOnHelpAndExitsZero() {
    List<String> names = subcommands();
    assertThat(names).contains("validate", "score", "simulate", "demo", "run", "calibrate", "detect", "debug-snapshot",
        "tracking");
    for (String name : names) {
      for (String help : List.of("--help", "-h")) {
        Cli cli = new Cli();
        int code = cli.run(name, help);
        String out = cli.out.toString();
        String err = cli.err.toString();
        assertThat(code).as("%s %s: %s", name, help, err).isZero();
        assertThat(out).as("%s %s", name, help).startsWith("Usage: storeedge " + name + " ")
            .contains("-h, --help").doesNotContain("Unknown option").doesNotContain("Missing");
        assertThat(err).as("%s %s", name, help).isEmpty();
      }
    }
  }

  @Test
  void helpWinsOverMissingRequiredArguments() {
    // validate needs FILE, simulate needs --config, --scenario and --report: none given
    for (String name : List.of("validate", "simulate", "calibrate")) {
      Cli cli = new Cli();
      assertThat(cli.run(name, "--help")).isZero();
      assertThat(cli.err.toString()).isEmpty();
    }
    Cli cli = new Cli();
    assertThat(cli.run("simulate")).isEqualTo(Main.BAD_INPUT);
    assertThat(cli.err.toString()).contains("Missing required options");
  }

  @Test
  void anUnknownOptionIsStillBadInput() {
    Cli cli = new Cli();
    assertThat(cli.run("score", "--halp")).isEqualTo(Main.BAD_INPUT);
    assertThat(cli.err.toString()).contains("Unknown option: '--halp'");
    assertThat(cli.out.toString()).isEmpty();
  }
}
