package org.coursebatch.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.coursebatch.node.ChildNode.Ports;
import org.coursebatch.persistence.db.DatabaseSettings;

/**
 * Several nodes, each in a JVM of its own on loopback, sharing one database and forming one
 * cluster through bootstrap. A node keeps its ports when it is started again.
 */
final class LocalCluster implements AutoCloseable {

  static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Path dir;
  private final DatabaseSettings database;
  private final List<Ports> ports;
  /** The environment of node i, given every node's ports (for the contact points). */
  private BiFunction<Integer, List<Ports>, Map<String, String>> environment;
  private List<String> jvmOptions;
  private final ChildNode[] nodes;

  LocalCluster(Path dir, DatabaseSettings database, int size, BiFunction<Integer, List<Ports>, Map<String, String>> environment,
      List<String> jvmOptions) throws Exception {
    this.dir = dir;
    this.database = database;
    var all = new ArrayList<Ports>();
    for (int i = 0; i < size; i++) {
      all.add(Ports.free());
    }
    this.ports = List.copyOf(all);
    this.nodes = new ChildNode[size];
    startWith(environment, jvmOptions);
  }

  /**
   * The environment and JVM options nodes start with from now on (a node started again after a
   * change of settings, as a rolling update brings them).
   */
  void startWith(BiFunction<Integer, List<Ports>, Map<String, String>> environment, List<String> jvmOptions) {
    this.environment = environment;
    // C1 only: these nodes live a minute or two and their starts dominate; the optimising compiler
    // would spend the machine's cores, which all the nodes share, on code that never runs long.
    List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1"));
    options.addAll(jvmOptions);
    this.jvmOptions = List.copyOf(options);
  }

  /** Every node's environment for config (static) discovery of the others' management endpoints. */
  static Map<String, String> configDiscovery(int node, List<Ports> ports) {
    String contactPoints = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p.management()).toList());
    return Map.of("BATCH_CLUSTER_DISCOVERY", "config", "BATCH_CLUSTER_CONTACT_POINTS", contactPoints);
  }

  int size() {
    return nodes.length;
  }

  ChildNode node(int i) {
    return nodes[i];
  }

  List<Ports> ports() {
    return ports;
  }

  List<Integer> httpPorts() {
    return ports.stream().map(Ports::http).toList();
  }

  /** Starts every node at once and waits until each is ready and sees all of them Up. */
  void startAll() throws Exception {
    for (int i = 0; i < nodes.length; i++) {
      launch(i);
    }
    for (int i = 0; i < nodes.length; i++) {
      nodes[i].awaitReady(START_TIMEOUT);
    }
    for (int i = 0; i < nodes.length; i++) {
      awaitUpMembers(i, nodes.length, START_TIMEOUT);
    }
  }

  /** Starts node i again (after a kill or a stop) and waits until it is ready and a member of the whole cluster. */
  void restart(int i) throws Exception {
    launch(i);
    nodes[i].awaitReady(START_TIMEOUT);
    awaitUpMembers(i, nodes.length, START_TIMEOUT);
  }

  private void launch(int i) throws Exception {
    Path data = dir.resolve("node-" + i);
    Files.createDirectories(data);
    nodes[i] = ChildNode.launch(data, database, ports.get(i), environment.apply(i, ports), jvmOptions);
  }

  /** The members node i's cluster view shows Up, or -1. */
  int upMembers(int i) {
    JsonNode members = members(i);
    if (members == null) {
      return -1;
    }
    int up = 0;
    for (JsonNode m : members.path("members")) {
      if (m.path("status").asText().equals("Up")) {
        up++;
      }
    }
    return up;
  }

  /**
   * The oldest node as node i sees it: it hosts the shard coordinators and the singletons, so
   * losing it costs the most.
   */
  int oldest(int i) {
    JsonNode members = members(i);
    String oldest = members == null ? "" : members.path("oldest").asText();
    for (int n = 0; n < ports.size(); n++) {
      if (oldest.endsWith(":" + ports.get(n).remote())) {
        return n;
      }
    }
    throw new IllegalStateException("node " + i + " names no known oldest node: " + members);
  }

  /** GET /cluster/members on node i's management port, or null when it does not answer. */
  private JsonNode members(int i) {
    HttpResponse<String> r = nodes[i].management("/cluster/members");
    try {
      return r != null && r.statusCode() == 200 ? ApiClient.JSON.readTree(r.body()) : null;
    } catch (IOException unreadable) {
      return null;
    }
  }

  /** The http ports of every node but {@code except}. */
  List<Integer> httpPortsExcept(int except) {
    var out = new ArrayList<Integer>();
    for (int n = 0; n < ports.size(); n++) {
      if (n != except) {
        out.add(ports.get(n).http());
      }
    }
    return out;
  }

  void awaitUpMembers(int i, int expected, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = -1;
    while (System.nanoTime() < deadline) {
      seen = upMembers(i);
      if (seen == expected) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("node " + i + " sees " + seen + " members Up, not " + expected + ":\n" + nodes[i].log());
  }

  @Override
  public void close() throws Exception {
    for (ChildNode n : nodes) {
      if (n != null) {
        n.close();
      }
    }
  }
}
