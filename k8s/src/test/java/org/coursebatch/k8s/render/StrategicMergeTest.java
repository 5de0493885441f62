package org.coursebatch.k8s.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.coursebatch.k8s.manifest.Manifests;
import org.junit.jupiter.api.Test;

class StrategicMergeTest {

  @Test
  void mergesMappingsAndKeyedListsAndReplacesTheRest() {
    ObjectNode target = yaml("""
        spec:
          containers:
            - name: a
              image: a:1
              args: [x, y]
              env: [{name: A, value: "1"}, {name: B, value: "2"}]
            - name: b
              image: b:1
          keep: {x: 1}
          drop: 1
        """);
    ObjectNode patch = yaml("""
        spec:
          containers:
            - name: a
              args: [z]
              env: [{name: B, value: "3"}, {name: C, value: "4"}]
            - name: c
              image: c:1
          drop: null
        """);
    StrategicMerge.apply(target, patch, "test");
    assertEquals(yaml("""
        spec:
          containers:
            - name: a
              image: a:1
              args: [z]
              env: [{name: A, value: "1"}, {name: B, value: "3"}, {name: C, value: "4"}]
            - name: b
              image: b:1
            - name: c
              image: c:1
          keep: {x: 1}
        """), target);
  }

  private static ObjectNode yaml(String text) {
    return Manifests.parse(text, "test").get(0);
  }
}
