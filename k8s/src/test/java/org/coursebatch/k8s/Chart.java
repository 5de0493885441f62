package org.coursebatch.k8s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.coursebatch.k8s.manifest.Rendered;
import org.coursebatch.k8s.render.HelmTemplate;

/** Releases of the Helm chart under k8s/helm/course-batch, as the tests render them. */
public enum Chart {
  DEFAULTS(Map.of()),
  /** The ServiceMonitor and the HorizontalPodAutoscaler on, with the values' example settings. */
  METRICS_AND_AUTOSCALING(Map.of("metrics.serviceMonitor.enabled", true, "autoscaling.enabled", true));

  public static final String RELEASE = "course-batch";
  public static final String NAMESPACE = "course-batch";
  private static final Map<Chart, Rendered> RENDERED = new ConcurrentHashMap<>();

  private final Map<String, Object> values;

  Chart(Map<String, Object> values) {
    this.values = values;
  }

  public static Path dir() {
    Path dir = Target.MODULE.resolve("helm/course-batch");
    if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
      throw new IllegalStateException("no Chart.yaml in " + dir + ": run the tests from the k8s module");
    }
    return dir;
  }

  /** A fresh copy of this release's objects (rendered once per test run). */
  public Rendered render() {
    return RENDERED.computeIfAbsent(this, c -> render(c.values)).copy();
  }

  /** This release with more values set (or replaced). */
  public Rendered renderWith(Map<String, ?> more) {
    Map<String, Object> all = new LinkedHashMap<>(values);
    all.putAll(more);
    return render(all);
  }

  private static Rendered render(Map<String, ?> values) {
    return new Rendered("helm/course-batch " + values, HelmTemplate.render(dir(), RELEASE, NAMESPACE, values));
  }

  @Override
  public String toString() {
    return "helm/course-batch " + values;
  }
}
