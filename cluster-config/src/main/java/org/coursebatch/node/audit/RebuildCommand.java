package org.coursebatch.node.audit;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "rebuild", mixinStandardHelpOptions = true, description = "Not available yet.")
final class RebuildCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("audit rebuild is not available yet");
    return 2;
  }
}
