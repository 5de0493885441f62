package org.coursebatch.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.coursebatch.core.catalog.CourseNode.Kind;
import org.coursebatch.core.catalog.CourseNode.Question;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.junit.jupiter.api.Test;

class CourseDocumentsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static ErrorCode rejection(String pathId, String doc) {
    return assertThrows(RejectedException.class, () -> CourseDocuments.parse(pathId, json(doc))).rejection().code();
  }

  private static final String HIERARCHY = """
      {'identifier': 'do_course', 'name': 'Physics 101', 'status': 'Live', 'trackable': {'enabled': 'Yes'},
       'children': [
         {'identifier': 'unit-1', 'name': 'Unit 1', 'children': [
            {'identifier': 'c-1', 'name': 'Intro video', 'mimeType': 'video/mp4'},
            {'identifier': 'c-2', 'mimeType': 'application/pdf'},
            {'identifier': 'unit-1-1', 'name': 'Unit 1.1', 'children': [
               {'identifier': 'c-3', 'mimeType': 'text/html'},
               {'identifier': 'qs-1', 'name': 'Quiz', 'mimeType': 'application/vnd.sunbird.questionset',
                'questions': [{'identifier': 'q-1', 'maxScore': 2}, {'identifier': 'q-2', 'maxScore': '3.5'},
                              {'identifier': 'q-3'}]}
            ]}
         ]},
         {'identifier': 'unit-2', 'name': 'Empty unit', 'children': []},
         {'identifier': 'c-4', 'mimeType': 'video/webm'}
       ]}
      """;

  @Test
  void leafNodesCountCountsContentsAndAssessmentsAtAnyDepth() {
    Course course = CourseDocuments.parse("do_course", json(HIERARCHY));
    assertEquals(5, course.leafNodesCount());
    assertEquals(List.of("c-1", "c-2", "c-3", "qs-1", "c-4"),
        course.leaves().stream().map(CourseNode::identifier).toList(), "hierarchy order");
    assertEquals(5, course.document().get("leafNodesCount").asInt(), "stored document carries the count");
    assertEquals("do_course", course.document().get("identifier").asText());
    assertEquals("Physics 101", course.name());
    assertEquals("Live", course.status());
    assertTrue(course.trackable());
    assertTrue(course.acceptsBatches());
  }

  @Test
  void nodesAreClassifiedAsUnitsContentsAndAssessments() {
    Course course = CourseDocuments.parse("do_course", json(HIERARCHY));
    CourseNode unit1 = course.children().get(0);
    assertEquals(Kind.UNIT, unit1.kind());
    assertFalse(unit1.isLeaf());
    assertEquals(Kind.UNIT, course.children().get(1).kind(), "a node with (empty) children is a unit");
    assertEquals(Kind.CONTENT, course.children().get(2).kind());
    assertEquals("c-2", unit1.children().get(1).name(), "a node without a name is named by its id");

    CourseNode quiz = unit1.children().get(2).children().get(1);
    assertEquals(Kind.ASSESSMENT, quiz.kind());
    assertTrue(quiz.isLeaf());
    assertEquals(List.of(new Question("q-1", 2.0), new Question("q-2", 3.5), new Question("q-3", 1.0)), quiz.questions(),
        "max scores as numbers or numeric strings; 1 by default");
  }

  @Test
  void nodeWithQuestionsIsAnAssessmentWhateverItsMimeType() {
    Course course = CourseDocuments.parse("do_c", json("""
        {'name': 'C', 'children': [{'identifier': 'a-1', 'questions': [{'identifier': 'q-1', 'maxScore': 4}]}]}
        """));
    assertEquals(Kind.ASSESSMENT, course.children().get(0).kind());
    assertEquals(1, course.leafNodesCount());
  }

  @Test
  void courseWithoutLeavesDoesNotAcceptBatches() {
    Course course = CourseDocuments.parse("do_c", json("""
        {'name': 'C', 'trackable': {'enabled': 'Yes'}, 'children': [{'identifier': 'u', 'children': []}]}
        """));
    assertEquals(0, course.leafNodesCount());
    assertFalse(course.acceptsBatches());
  }

  @Test
  void missingNameIsRefused() {
    assertEquals(ErrorCode.MANDATORY_PARAMETER_MISSING, rejection("do_c", "{'identifier': 'do_c'}"));
    assertEquals(ErrorCode.MANDATORY_PARAMETER_MISSING, rejection("do_c", "{'name': '  '}"));
  }

  @Test
  void duplicateNodeIdsAreRefused() {
    assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, rejection("do_c", """
        {'name': 'C', 'children': [{'identifier': 'u', 'children': [{'identifier': 'x'}]}, {'identifier': 'x'}]}
        """));
    assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, rejection("do_c", """
        {'name': 'C', 'children': [{'identifier': 'do_c'}]}
        """), "a node may not reuse the course id");
  }

  @Test
  void nodeWithoutIdentifierIsRefused() {
    assertEquals(ErrorCode.MANDATORY_PARAMETER_MISSING, rejection("do_c", "{'name': 'C', 'children': [{'name': 'x'}]}"));
  }

  @Test
  void identifierMustMatchThePathId() {
    assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, rejection("do_c", "{'identifier': 'do_other', 'name': 'C'}"));
    Course course = CourseDocuments.parse("do_c", json("{'name': 'C'}"));
    assertEquals("do_c", course.identifier(), "the path id is used when the document has none");
    assertEquals("do_c", course.document().get("identifier").asText());
  }

  @Test
  void trackableEnabledYesOrNo() {
    assertTrue(CourseDocuments.parse("do_c", json("{'name': 'C', 'trackable': {'enabled': 'Yes'}}")).trackable());
    assertTrue(CourseDocuments.parse("do_c", json("{'name': 'C', 'trackable': {'enabled': 'yes'}}")).trackable());
    assertFalse(CourseDocuments.parse("do_c", json("{'name': 'C', 'trackable': {'enabled': 'No'}}")).trackable());
    assertFalse(CourseDocuments.parse("do_c", json("{'name': 'C'}")).trackable(), "not trackable unless enabled");
    assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, rejection("do_c", "{'name': 'C', 'trackable': {'enabled': 'Maybe'}}"));
    assertEquals(ErrorCode.DATA_TYPE_ERROR, rejection("do_c", "{'name': 'C', 'trackable': 'Yes'}"));
  }

  @Test
  void untrackableOrDraftCourseDoesNotAcceptBatches() {
    String leaf = ", 'children': [{'identifier': 'c-1'}]";
    assertFalse(CourseDocuments.parse("do_c", json("{'name': 'C', 'trackable': {'enabled': 'No'}" + leaf + "}")).acceptsBatches());
    assertFalse(CourseDocuments.parse("do_c",
        json("{'name': 'C', 'status': 'Draft', 'trackable': {'enabled': 'Yes'}" + leaf + "}")).acceptsBatches());
    assertTrue(CourseDocuments.parse("do_c",
        json("{'name': 'C', 'status': 'Unlisted', 'trackable': {'enabled': 'Yes'}" + leaf + "}")).acceptsBatches());
  }

  @Test
  void negativeMaxScoreIsRefused() {
    assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, rejection("do_c", """
        {'name': 'C', 'children': [{'identifier': 'a', 'questions': [{'identifier': 'q', 'maxScore': -1}]}]}
        """));
  }

  @Test
  void childrenMustBeAList() {
    assertEquals(ErrorCode.DATA_TYPE_ERROR, rejection("do_c", "{'name': 'C', 'children': {'identifier': 'x'}}"));
    assertEquals(ErrorCode.DATA_TYPE_ERROR, rejection("do_c", "['not', 'an', 'object']"));
  }
}
