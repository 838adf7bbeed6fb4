package org.storeedge.runtime;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code storeedge} command line. Exit codes: 0 success, 1 failure while running, 2 bad input
 * (config, scenario, arguments: nothing was started), 3 messages left undelivered at the drain
 * timeout.
 */
@Command(name = "storeedge", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    scope = CommandLine.ScopeType.INHERIT, // every subcommand takes --help/-h and --version/-V too
    description = "Edge runtime for smart stores: weight shelves, grab-and-go checkout, durable MQTT sync.",
    subcommands = {DemoCommand.class, RunCommand.class, ValidateCommand.class, SimulateCommand.class,
        ScoreCommand.class, CalibrateCommand.class, DetectCommand.class, DebugSnapshotCommand.class, ModelUpdateCommand.class,
        org.storeedge.runtime.bench.TrackingHarness.class})
public final class Main implements Callable<Integer> {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int BAD_INPUT = 2;
  public static final int UNDELIVERED = 3;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(System.out, System.err, args));
  }

  /** Runs the CLI with the given streams; returns the exit code. */
  public static int run(PrintStream out, PrintStream err, String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      err.println("storeedge: " + ex.getMessage());
      if (Boolean.getBoolean("storeedge.debug")) {
        ex.printStackTrace(err);
      }
      return FAILED;
    });
    cl.setParameterExceptionHandler((ex, a) -> {
      err.println("storeedge: " + ex.getMessage());
      ex.getCommandLine().usage(err);
      return BAD_INPUT;
    });
    return cl.execute(args);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return BAD_INPUT;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"storeedge " + (v == null ? "dev" : v)};
    }
  }
}
