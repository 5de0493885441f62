package org.coursebatch.http.enrollment;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.catalog.Course;

/**
 * The course of an enrolment as its list shows it ({@code content}): the fields every entry has,
 * the catalog's own values winning over the stored document's, then the document's fields the
 * request named ({@code fields}), null when the document has none.
 */
public record CourseContent(
    String identifier,
    String name,
    JsonNode description,
    int leafNodesCount,
    JsonNode appIcon,
    @JsonAnyGetter Map<String, JsonNode> requested) {

  /** The fields every entry has, which a request naming them does not repeat. */
  static final List<String> FIELDS = List.of("identifier", "name", "description", "leafNodesCount", "appIcon");

  public static CourseContent of(Course course, List<String> courseFields) {
    JsonNode document = course.document();
    Map<String, JsonNode> requested = new LinkedHashMap<>();
    for (String field : courseFields) {
      if (!FIELDS.contains(field)) {
        requested.put(field, document == null ? null : document.get(field));
      }
    }
    return new CourseContent(course.identifier(), course.name(), document == null ? null : document.get("description"),
        course.leafNodesCount(), document == null ? null : document.get("appIcon"), requested);
  }
}
