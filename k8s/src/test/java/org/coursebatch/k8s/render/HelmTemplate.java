package org.coursebatch.k8s.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.coursebatch.k8s.manifest.Manifests;

/**
 * {@code helm template} and {@code helm lint} of a chart directory, run by Helm's own Go code:
 * helm-java ships it as a native library inside a jar on Maven Central, so no helm binary and no
 * cluster are needed (ADR 16).
 */
public final class HelmTemplate {
  /** The Kubernetes version the chart is rendered for: that of the schemas it is validated with. */
  public static final String KUBE_VERSION = "v1.30.0";

  private HelmTemplate() {}

  /** The objects the chart renders to for a release, with {@code --set key=value} for each value. */
  public static List<ObjectNode> render(Path chart, String release, String namespace, Map<String, ?> values) {
    TemplateCommand template = new Helm(chart).template()
        .withName(release).withNamespace(namespace).withKubeVersion(KUBE_VERSION);
    values.forEach(template::set);
    return Manifests.parse(template.call(), "helm template " + chart + " " + values);
  }

  /** {@code helm lint --strict}. */
  public static LintResult lint(Path chart) {
    return new Helm(chart).lint().strict().call();
  }
}
