package org.coursebatch.core.catalog;

import java.util.List;

/**
 * A node of a course hierarchy: a unit (a nested collection), a leaf content, or an assessment (a
 * question set, also a leaf) with its questions.
 */
public record CourseNode(String identifier, String name, Kind kind, List<CourseNode> children, List<Question> questions) {

  public enum Kind { UNIT, CONTENT, ASSESSMENT }

  public CourseNode {
    children = children == null ? List.of() : List.copyOf(children);
    questions = questions == null ? List.of() : List.copyOf(questions);
  }

  /** A question of an assessment and the most it can score. */
  public record Question(String identifier, double maxScore) {}

  public boolean isLeaf() {
    return kind != Kind.UNIT;
  }

  /** Every leaf (content or assessment) among {@code nodes} and below them, in hierarchy order. */
  public static List<CourseNode> leavesOf(List<CourseNode> nodes) {
    List<CourseNode> out = new java.util.ArrayList<>();
    for (CourseNode n : nodes) {
      if (n.isLeaf()) {
        out.add(n);
      }
      out.addAll(leavesOf(n.children()));
    }
    return out;
  }
}
