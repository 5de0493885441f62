package org.coursebatch.http;

import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.coursebatch.http.group.GroupResult;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The schema check refuses a record that writes other than its schema documents. */
class RecordSchemaCheckTest {

  private static final OpenApiExamples DOC = OpenApiExamples.load();

  /** An enrolment's course without the requested fields the schema allows as additionalProperties. */
  record ContentWithoutRequested(String identifier, String name, JsonNode description, int leafNodesCount, JsonNode appIcon) {}

  /** A group member with a map of further properties, which its schema does not allow. */
  record MemberWithMore(String userId, String name, String role, String status, String createdBy,
      @JsonAnyGetter Map<String, String> more) {}

  @Test
  void aSchemaWithAdditionalPropertiesNeedsAnAnyGetterMap() {
    assertThrows(AssertionFailedError.class,
        () -> DOC.assertRecordMatchesSchema(ContentWithoutRequested.class, "UserEnrollment/properties/content"));
  }

  @Test
  void anAnyGetterMapNeedsASchemaWithAdditionalProperties() {
    DOC.assertRecordMatchesSchema(GroupResult.Member.class, "GroupMember");
    assertThrows(AssertionFailedError.class, () -> DOC.assertRecordMatchesSchema(MemberWithMore.class, "GroupMember"));
  }

  @Test
  void theAllOfPartsOfASchemaAreMerged() {
    DOC.assertRecordMatchesSchema(GroupResult.MemberAggregates.class, "GroupMemberAggregates");
    assertThrows(AssertionFailedError.class, () -> DOC.assertRecordMatchesSchema(GroupResult.Member.class, "GroupMemberAggregates"));
  }
}
