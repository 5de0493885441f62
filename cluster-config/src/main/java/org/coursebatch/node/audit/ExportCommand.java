package org.coursebatch.node.audit;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "export", mixinStandardHelpOptions = true, description = "Not available yet.")
final class ExportCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("audit export is not available yet");
    return 2;
  }
}
