package org.coursebatch.http.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseDocuments;
import org.coursebatch.core.certificate.CertificateDocuments;
import org.coursebatch.core.certificate.CertificateTemplateAsset;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.outbound.ServiceCalls.CallFailed;

/**
 * Reads the content service's answers into the catalog's model. The answers are input like any
 * request: each is held to the limits and rules of a catalog registration ({@link CourseDocuments},
 * {@link CertificateDocuments}), and anything else — not JSON, no {@code result.content}, a
 * hierarchy or asset the rules refuse — is a {@link CallFailed}, never a course or template.
 */
final class ContentAnswers {

  private ContentAnswers() {}

  /**
   * The course in a hierarchy answer ({@code result.content}, a collection with nested
   * {@code children}). A question set's {@code questions} are its {@code children} when it lists
   * none of its own: the content service nests a question set's questions (each with its
   * {@code maxScore}) as its children.
   */
  static Course course(String courseId, String body) {
    ObjectNode content = content(body, "course " + courseId).deepCopy();
    String identifier = content.path("identifier").asText(courseId);
    if (!identifier.equals(courseId)) {
      throw new CallFailed("it answered course " + courseId + " with " + identifier);
    }
    questionsFromChildren(content);
    try {
      return CourseDocuments.parse(courseId, content);
    } catch (RejectedException e) {
      throw new CallFailed("its course " + courseId + " is not one this service can read: " + e.rejection().message());
    }
  }

  /**
   * The certificate-template asset in an asset answer ({@code result.content}: {@code name},
   * {@code artifactUrl}, {@code issuer}, {@code signatoryList}); empty when the content is another
   * asset (lms-service takes that as an invalid template id).
   */
  static Optional<CertificateTemplateAsset> template(String templateId, String body) {
    ObjectNode content = content(body, "certificate template " + templateId);
    if (!templateId.equals(content.path("identifier").asText(templateId))) {
      return Optional.empty();
    }
    try {
      return Optional.of(CertificateDocuments.parseAsset(templateId, content));
    } catch (RejectedException e) {
      throw new CallFailed("its certificate template " + templateId + " is not one this service can read: " + e.rejection().message());
    }
  }

  /** {@code result.content} of a Sunbird envelope. */
  private static ObjectNode content(String body, String what) {
    JsonNode envelope;
    try {
      envelope = Envelope.JSON.readTree(body);
    } catch (Exception e) {
      throw new CallFailed("its answer for " + what + " is not JSON");
    }
    JsonNode content = envelope == null ? null : envelope.path("result").path("content");
    if (content == null || !content.isObject()) {
      throw new CallFailed("its answer for " + what + " has no result.content");
    }
    return (ObjectNode) content;
  }

  private static void questionsFromChildren(ObjectNode node) {
    JsonNode children = node.get("children");
    if (children == null || !children.isArray()) {
      return; // CourseDocuments says what is wrong with a children that is not a list
    }
    boolean questionSet = CourseDocuments.QUESTION_SET_MIME_TYPE.equalsIgnoreCase(node.path("mimeType").asText(""));
    if (questionSet && !node.has("questions")) {
      node.set("questions", questions((ArrayNode) children));
      node.remove("children");
      return;
    }
    for (JsonNode child : children) {
      if (child.isObject()) {
        questionsFromChildren((ObjectNode) child);
      }
    }
  }

  /** The questions of a question set's children: their identifier and maxScore. */
  private static ArrayNode questions(ArrayNode children) {
    ArrayNode out = Envelope.JSON.createArrayNode();
    for (JsonNode child : children) {
      ObjectNode q = out.addObject();
      if (child.has("identifier")) {
        q.set("identifier", child.get("identifier"));
      }
      if (child.has("maxScore")) {
        q.set("maxScore", child.get("maxScore"));
      }
    }
    return out;
  }
}
