package org.coursebatch.node;

import akka.actor.CoordinatedShutdown;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.coursebatch.http.auth.JwtKeys;
import org.coursebatch.http.auth.TokenIssuer;
import org.coursebatch.node.audit.AuditCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar course-batch-service.jar} runs a node; {@code ... token --user U} prints a token
 * that a node with the same data directory (or key settings) accepts.
 */
@Command(name = "course-batch-service", mixinStandardHelpOptions = true, version = "course-batch-service 0.1.0",
    description = "Runs a course batch service node (configured by environment variables, see the README).",
    subcommands = {Main.TokenCommand.class, AuditCommand.class})
public final class Main implements Callable<Integer> {

  private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  public static void main(String[] args) {
    keepCallbacksOnPooledThreads();
    if (args.length > 0 && (args[0].equals("token") || args[0].equals("audit"))) {
      System.setProperty("LOG_TARGET", "System.err"); // before any logger exists: stdout is the token
    }
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /**
   * With fewer than two threads in the common pool (a machine with two CPUs) the JDK runs every
   * asynchronous CompletableFuture callback on a thread of its own. The service places its own
   * callbacks (Continuations); this keeps those a library leaves to the default (the JDK's
   * HttpClient.sendAsync, for one) on pooled threads. Call first thing in main: the common pool
   * reads the setting once, when something first uses it.
   */
  public static void keepCallbacksOnPooledThreads() {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(COMMON_POOL_PARALLELISM, String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
  }

  @Override
  public Integer call() {
    Config config = ConfigFactory.load();
    ServiceNode node = ServiceNode.start(config, Clock.systemUTC());
    // The JVM exits when coordinated shutdown has run: after SIGTERM with 143 (the JVM's status for
    // it); a node the cluster downed with 1, so a supervisor sees it stopped without being asked to.
    node.system().getWhenTerminated().toCompletableFuture().join();
    var reason = CoordinatedShutdown.get(node.system()).getShutdownReason();
    return reason.isPresent() && reason.get() == CoordinatedShutdown.clusterDowningReason() ? 1 : 0;
  }

  @Command(name = "token", mixinStandardHelpOptions = true,
      description = "Prints a signed JWT for trying the API (development key or BATCH_JWT_SECRET).")
  static final class TokenCommand implements Callable<Integer> {
    @Option(names = "--user", required = true, description = "User id (the token's subject).")
    String user;

    @Option(names = "--roles", split = ",", description = "Comma-separated roles, e.g. CONTENT_CREATOR,ORG_ADMIN.")
    List<String> roles = List.of();

    @Option(names = "--ttl", defaultValue = "PT1H", description = "Validity as an ISO-8601 duration (default ${DEFAULT-VALUE}), "
        + "at most the nodes' BATCH_JWT_MAX_TTL.")
    Duration ttl;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      NodeSettings settings = NodeSettings.from(ConfigFactory.load());
      if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(settings.maxTokenTtl()) > 0) {
        // A node would refuse the token: say so now rather than with a 401 later.
        throw new ParameterException(spec.commandLine(), "--ttl " + ttl + " must be positive and at most "
            + settings.maxTokenTtl() + " (BATCH_JWT_MAX_TTL, which the nodes enforce)");
      }
      JwtKeys keys = JwtKeys.load(settings.jwtSecret(), settings.jwtPublicKey(), settings.devKeyFile());
      System.out.println(new TokenIssuer(keys, settings.rolesClaim()).issue(user, roles, ttl, settings.jwtIssuer()));
      return 0;
    }
  }
}
