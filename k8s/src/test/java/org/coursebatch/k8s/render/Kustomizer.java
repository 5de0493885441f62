package org.coursebatch.k8s.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/** Renders a kustomization directory to the objects it stands for. */
public interface Kustomizer {

  List<ObjectNode> build(Path kustomizationDir);

  /** What renders: shown in test names and failure messages. */
  String describe();
}
