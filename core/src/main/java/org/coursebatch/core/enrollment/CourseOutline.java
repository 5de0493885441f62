package org.coursebatch.core.enrollment;

import java.util.Set;
import org.coursebatch.core.CborSerializable;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseNode;

/** What completion is measured against: the course's leaf contents (assessments included). */
public record CourseOutline(String courseId, Set<String> leafIds, int leafNodesCount) implements CborSerializable {

  public CourseOutline {
    leafIds = Set.copyOf(leafIds);
  }

  /**
   * Whether {@code contentId} is a leaf of the course: only leaves have a state, as only they
   * count towards completion (a unit, another course's content or an id that names nothing has none).
   */
  public boolean hasLeaf(String contentId) {
    return leafIds.contains(contentId);
  }

  public static CourseOutline of(Course course) {
    var leaves = course.leaves().stream().map(CourseNode::identifier).collect(java.util.stream.Collectors.toSet());
    return new CourseOutline(course.identifier(), leaves, course.leafNodesCount());
  }
}
