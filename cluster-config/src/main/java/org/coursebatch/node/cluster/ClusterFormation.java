package org.coursebatch.node.cluster;

import akka.actor.typed.ActorSystem;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.management.cluster.bootstrap.ClusterBootstrap;
import akka.management.javadsl.AkkaManagement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node finds the rest of its cluster ({@code course-batch.cluster}): alone or through
 * {@code akka.cluster.seed-nodes}, or through Akka Cluster Bootstrap, which discovers the other
 * nodes' management endpoints (a static list, or the pods the Kubernetes API lists) and lets the
 * first of them form the cluster once enough of them agree.
 */
public final class ClusterFormation {

  private static final Logger log = LoggerFactory.getLogger(ClusterFormation.class);

  public enum Discovery {
    /** Seed nodes when configured, else a cluster of this node alone. */
    NONE("none"),
    /** Bootstrap over the management endpoints listed in {@code contact-points}. */
    CONFIG("config"),
    /** Bootstrap over the pods of this namespace that the Kubernetes API lists. */
    KUBERNETES_API("kubernetes-api");

    final String setting;

    Discovery(String setting) {
      this.setting = setting;
    }

    static Discovery of(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      for (Discovery d : values()) {
        if (d.setting.equals(v)) {
          return d;
        }
      }
      throw new IllegalArgumentException("BATCH_CLUSTER_DISCOVERY must be none, config or kubernetes-api, not '" + value + "'");
    }
  }

  /** A node's Akka Management endpoint, where bootstrap asks it about the cluster. */
  public record ContactPoint(String host, int port) {}

  /**
   * @param serviceName the name the nodes are discovered by (the pod label's value on Kubernetes)
   * @param contactPoints for {@link Discovery#CONFIG}: every node's management endpoint
   */
  public record Settings(Discovery discovery, String serviceName, List<ContactPoint> contactPoints) {

    public static Settings from(Config root) {
      Config c = root.getConfig("course-batch.cluster");
      Discovery discovery = Discovery.of(c.getString("discovery"));
      String serviceName = root.getString("akka.management.cluster.bootstrap.contact-point-discovery.service-name");
      List<ContactPoint> contactPoints = ClusterFormation.contactPoints(c.getString("contact-points"));
      if (discovery == Discovery.CONFIG && contactPoints.isEmpty()) {
        throw new IllegalArgumentException(
            "BATCH_CLUSTER_DISCOVERY=config needs BATCH_CLUSTER_CONTACT_POINTS (host:management-port, comma-separated)");
      }
      return new Settings(discovery, serviceName, contactPoints);
    }
  }

  private ClusterFormation() {}

  static List<ContactPoint> contactPoints(String value) {
    var out = new ArrayList<ContactPoint>();
    for (String item : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
      int colon = item.lastIndexOf(':');
      int port = -1;
      if (colon > 0) {
        try {
          port = Integer.parseInt(item.substring(colon + 1));
        } catch (NumberFormatException notANumber) {
          // reported below
        }
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("BATCH_CLUSTER_CONTACT_POINTS: '" + item + "' is not host:port");
      }
      out.add(new ContactPoint(item.substring(0, colon), port));
    }
    return List.copyOf(out);
  }

  /** The Akka settings that select the discovery; laid over the node's config before the actor system starts. */
  public static Config akkaConfig(Settings settings) {
    String method = "akka.management.cluster.bootstrap.contact-point-discovery.discovery-method";
    return switch (settings.discovery()) {
      case NONE -> ConfigFactory.empty();
      case KUBERNETES_API -> ConfigFactory.parseMap(Map.of(method, "kubernetes-api"));
      case CONFIG -> {
        List<Map<String, Object>> endpoints = settings.contactPoints().stream()
            .map(p -> Map.<String, Object>of("host", p.host(), "port", p.port())).toList();
        yield ConfigFactory.parseMap(Map.of(
            method, "config",
            "akka.discovery.config.services", Map.of(settings.serviceName(), Map.of("endpoints", endpoints))));
      }
    };
  }

  /**
   * Starts Akka Management (the readiness and liveness probes, and bootstrap's contact point) and
   * joins the cluster: through bootstrap, the seed nodes, or alone.
   */
  public static void start(ActorSystem<?> system, Settings settings) {
    AkkaManagement.get(system).start();
    switch (settings.discovery()) {
      case NONE -> {
        if (system.settings().config().getStringList("akka.cluster.seed-nodes").isEmpty()) {
          Cluster cluster = Cluster.get(system);
          cluster.manager().tell(Join.create(cluster.selfMember().address()));
        }
      }
      case CONFIG, KUBERNETES_API -> {
        log.info("Forming or joining the cluster '{}' through {} discovery", settings.serviceName(), settings.discovery().setting);
        ClusterBootstrap.get(system).start();
      }
    }
  }
}
