package org.coursebatch.node.audit;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "verify", mixinStandardHelpOptions = true, description = "Not available yet.")
final class VerifyCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("audit verify is not available yet");
    return 2;
  }
}
