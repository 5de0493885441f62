package org.coursebatch.core.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * A course as the catalog knows it: a collection whose {@code trackable.enabled} is Yes can have
 * batches. {@code document} is the registered hierarchy as given (with {@code leafNodesCount}
 * filled in), returned to clients that ask for course metadata.
 */
public record Course(
    String identifier,
    String name,
    String status,
    boolean trackable,
    boolean userConsent,
    int leafNodesCount,
    List<CourseNode> children,
    JsonNode document) {

  /** Statuses under which a course accepts batches (Sunbird: Live or Unlisted). */
  public static final Set<String> BATCHABLE_STATUSES = Set.of("Live", "Unlisted");

  public Course {
    children = children == null ? List.of() : List.copyOf(children);
  }

  /** Every leaf (content or assessment) in hierarchy order. */
  public List<CourseNode> leaves() {
    return CourseNode.leavesOf(children);
  }

  public boolean acceptsBatches() {
    return trackable && BATCHABLE_STATUSES.contains(status) && leafNodesCount > 0;
  }
}
