package org.coursebatch.node.audit;

import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.coursebatch.node.Main;
import picocli.CommandLine;

/** A command of the jar run in-process, with {@code properties} as the node's settings (system properties, as the environment would). */
public record AuditRun(int exit, String out, String err) {

  public static AuditRun of(Map<String, String> properties, String... args) {
    Map<String, String> before = new LinkedHashMap<>();
    properties.forEach((k, v) -> before.put(k, System.getProperty(k)));
    properties.forEach(System::setProperty);
    ConfigFactory.invalidateCaches();
    try {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit = new CommandLine(new Main()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
      return new AuditRun(exit, out.toString(), err.toString());
    } finally {
      before.forEach((k, v) -> {
        if (v == null) {
          System.clearProperty(k);
        } else {
          System.setProperty(k, v);
        }
      });
      ConfigFactory.invalidateCaches();
    }
  }
}
