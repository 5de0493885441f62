package org.coursebatch.node.audit;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "history", mixinStandardHelpOptions = true, description = "Not available yet.")
final class HistoryCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("audit history is not available yet");
    return 2;
  }
}
