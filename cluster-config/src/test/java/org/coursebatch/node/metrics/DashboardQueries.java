package org.coursebatch.node.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names a Grafana dashboard's queries (panel targets and template variables) read. */
public final class DashboardQueries {

  /** The dashboard under k8s/, from this module's directory (where the tests run). */
  public static final Path COURSE_BATCH = Path.of("..", "k8s", "dashboards", "course-batch.json");

  /** A metric of the node: every family it exports starts with one of these. */
  private static final Pattern METRIC =
      Pattern.compile("\\b(?:http_server_requests|coursebatch|hikaricp|jvm|process|system|akka)_[a-z0-9_]+\\b");

  private DashboardQueries() {}

  public static Set<String> metricNames(Path dashboard) throws IOException {
    JsonNode root = new ObjectMapper().readTree(dashboard.toFile());
    Set<String> names = new TreeSet<>();
    root.findValues("expr").forEach(expr -> collect(expr.asText(), names));
    root.path("templating").path("list").forEach(variable -> collect(variable.path("query").asText(""), names));
    return names;
  }

  private static void collect(String query, Set<String> names) {
    Matcher m = METRIC.matcher(query);
    while (m.find()) {
      names.add(m.group());
    }
  }
}
