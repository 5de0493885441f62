package org.coursebatch.core.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.coursebatch.core.catalog.CourseNode.Kind;
import org.coursebatch.core.catalog.CourseNode.Question;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.json.FieldLimits;
import org.coursebatch.core.json.JsonFields;

/**
 * Reads a Sunbird-style collection hierarchy into a {@link Course}. A node with {@code children}
 * is a unit; a question set (mime type {@code application/vnd.sunbird.questionset}, or any node
 * with {@code questions}) is an assessment; anything else is a leaf content.
 */
public final class CourseDocuments {

  public static final String QUESTION_SET_MIME_TYPE = "application/vnd.sunbird.questionset";

  private CourseDocuments() {}

  /**
   * Parses and validates a course to register; {@code pathId} is the id in the URL, which the
   * document must agree with. Ids, names and the status are held to {@link FieldLimits}.
   */
  public static Course parse(String pathId, JsonNode value) {
    FieldLimits.requireWithin(pathId, "courseId", FieldLimits.ID);
    return read(pathId, value, true);
  }

  /**
   * A course as the catalog stored it, read without the limits of a new registration: one
   * registered before them reads as it did.
   */
  public static Course stored(String courseId, JsonNode value) {
    return read(courseId, value, false);
  }

  private static Course read(String pathId, JsonNode value, boolean limited) {
    JsonFields doc = JsonFields.of(value, "request");
    String identifier = doc.string("identifier").orElse(pathId);
    if (!identifier.equals(pathId)) {
      throw ErrorCode.INVALID_PARAMETER_VALUE.reject(identifier, "identifier (it must equal the id in the path, " + pathId + ")").asException();
    }
    String name = doc.requiredString("name", limit(limited, FieldLimits.NAME));
    String status = doc.string("status", limit(limited, FieldLimits.STATUS)).orElse("Live");
    boolean trackable = doc.object("trackable").flatMap(t -> t.yesNo("enabled")).orElse(false);
    boolean userConsent = doc.yesNo("userConsent").orElse(false);
    Set<String> seen = new HashSet<>();
    seen.add(identifier);
    List<CourseNode> children = nodes(doc, "children", seen, limited);
    Course shape = new Course(identifier, name, status, trackable, userConsent, 0, children, null);
    int leafCount = shape.leaves().size();
    ObjectNode stored = doc.node().deepCopy();
    stored.put("identifier", identifier);
    stored.put("leafNodesCount", leafCount);
    return new Course(identifier, name, status, trackable, userConsent, leafCount, children, stored);
  }

  private static List<CourseNode> nodes(JsonFields parent, String field, Set<String> seen, boolean limited) {
    List<CourseNode> out = new ArrayList<>();
    for (JsonFields n : parent.objects(field)) {
      // Node ids are the content ids progress is recorded for.
      String id = n.string("identifier", limit(limited, FieldLimits.ID))
          .filter(s -> !s.isBlank())
          .orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("identifier of every node in children").asException());
      if (!seen.add(id)) {
        throw ErrorCode.INVALID_PARAMETER_VALUE.reject(id, "identifier (each node of the hierarchy needs its own)").asException();
      }
      String name = n.string("name", limit(limited, FieldLimits.NAME)).orElse(id);
      String mime = n.string("mimeType").orElse("").toLowerCase(Locale.ROOT);
      boolean questionSet = mime.equals(QUESTION_SET_MIME_TYPE) || n.has("questions");
      if (questionSet) {
        out.add(new CourseNode(id, name, Kind.ASSESSMENT, List.of(), questions(n, limited)));
      } else if (n.has("children")) {
        out.add(new CourseNode(id, name, Kind.UNIT, nodes(n, "children", seen, limited), List.of()));
      } else {
        out.add(new CourseNode(id, name, Kind.CONTENT, List.of(), List.of()));
      }
    }
    return out;
  }

  private static int limit(boolean limited, int max) {
    return limited ? max : Integer.MAX_VALUE;
  }

  private static List<Question> questions(JsonFields assessment, boolean limited) {
    List<Question> out = new ArrayList<>();
    for (JsonFields f : assessment.objects("questions")) {
      String id = f.requiredString("identifier", limit(limited, FieldLimits.ID));
      double max = f.number("maxScore").orElse(1.0);
      if (max < 0) {
        throw ErrorCode.INVALID_PARAMETER_VALUE.reject(max, "maxScore").asException();
      }
      out.add(new Question(id, max));
    }
    return out;
  }
}
