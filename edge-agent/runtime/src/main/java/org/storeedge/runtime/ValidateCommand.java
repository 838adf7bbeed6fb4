package org.storeedge.runtime;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.storeedge.config.ConfigException;
import org.storeedge.config.ConfigWarning;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code storeedge validate FILE}: exit 0 when valid, printing its warnings, if any, and a summary
 * that counts them; 2 with one line per problem and per warning, in file order.
 */
@Command(name = "validate", description = "Check a store config file; print every problem as file:line:col: key: message "
    + "and every warning as file:line:col: key: warning: message. Exits 0 when there are only warnings.")
final class ValidateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "store YAML file")
  Path file;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      StoreConfigLoader loader = new StoreConfigLoader(Drivers.registry());
      StoreConfig c = loader.load(file);
      List<ConfigWarning> warnings = loader.warnings();
      warnings.forEach(err::println);
      spec.commandLine().getOut().printf("%s: valid (store %s, gateway %s, %d products, %d lanes, %d devices), %s%n",
          file, c.store().id(), c.store().gatewayId(), c.catalog().size(), c.lanes().size(), c.devices().size(),
          warnings.isEmpty() ? "no warnings" : warnings.size() == 1 ? "1 warning" : warnings.size() + " warnings");
      return Main.OK;
    } catch (ConfigException e) {
      e.lines().forEach(err::println);
      return Main.BAD_INPUT;
    } catch (IOException e) {
      err.println(file + ":0:0: (file): cannot read: " + e.getMessage());
      return Main.BAD_INPUT;
    }
  }
}
