package org.coursebatch.k8s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.coursebatch.k8s.manifest.Rendered;
import org.coursebatch.k8s.render.BuiltInKustomize;
import org.coursebatch.k8s.render.KustomizeCli;
import org.coursebatch.k8s.render.Kustomizer;

/**
 * The kustomizations under k8s/ (overlays and examples), rendered with the real kustomize when it is on the PATH
 * (kustomize or kubectl) and with the built-in renderer otherwise.
 */
public enum Target {
  BASE("base"),
  LOCAL("overlays/local"),
  PRODUCTION("overlays/production"),
  /** Production with a ServiceMonitor and a HorizontalPodAutoscaler. */
  METRICS_AUTOSCALING("examples/metrics-autoscaling");

  /** The k8s module's directory: Maven runs the tests there. */
  public static final Path MODULE = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  public static final Kustomizer KUSTOMIZER = KustomizeCli.onPath().<Kustomizer>map(k -> k).orElseGet(BuiltInKustomize::new);
  private static final Map<Target, Rendered> RENDERED = new ConcurrentHashMap<>();

  private final String path;

  Target(String path) {
    this.path = path;
  }

  public Path dir() {
    Path dir = MODULE.resolve(path);
    if (!Files.isRegularFile(dir.resolve("kustomization.yaml"))) {
      throw new IllegalStateException("no kustomization.yaml in " + dir + ": run the tests from the k8s module");
    }
    return dir;
  }

  /** A fresh copy of this target's objects (rendered once per test run). */
  public Rendered render() {
    return RENDERED.computeIfAbsent(this, t -> new Rendered(t.path, KUSTOMIZER.build(t.dir()))).copy();
  }

  @Override
  public String toString() {
    return path;
  }
}
