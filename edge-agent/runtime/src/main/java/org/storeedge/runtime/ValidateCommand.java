package org.storeedge.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.storeedge.config.ConfigException;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code storeedge validate FILE}: exit 0 when valid, 2 with one line per problem. */
@Command(name = "validate", description = "Check a store config file; print every problem as file:line:col: key: message.")
final class ValidateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "store YAML file")
  Path file;

  @Override
  public Integer call() {
    try {
      StoreConfig c = new StoreConfigLoader(Drivers.registry()).load(file);
      spec.commandLine().getOut().printf("%s: valid (store %s, gateway %s, %d products, %d lanes, %d devices)%n",
          file, c.store().id(), c.store().gatewayId(), c.catalog().size(), c.lanes().size(), c.devices().size());
      return Main.OK;
    } catch (ConfigException e) {
      for (ConfigProblem p : e.problems()) {
        spec.commandLine().getErr().println(p);
      }
      return Main.BAD_INPUT;
    } catch (IOException e) {
      spec.commandLine().getErr().println(file + ":0:0: (file): cannot read: " + e.getMessage());
      return Main.BAD_INPUT;
    }
  }
}
