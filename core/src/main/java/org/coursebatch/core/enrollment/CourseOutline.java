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

  public static CourseOutline of(Course course) {
    var leaves = course.leaves().stream().map(CourseNode::identifier).collect(java.util.stream.Collectors.toSet());
    return new CourseOutline(course.identifier(), leaves, course.leafNodesCount());
  }
}
