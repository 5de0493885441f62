package org.coursebatch.http.group;

import static org.coursebatch.http.OpenApiExamples.assertSameJson;
import static org.coursebatch.http.OpenApiExamples.requestOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.coursebatch.core.group.Group;
import org.coursebatch.core.group.GroupActivity;
import org.coursebatch.core.group.GroupActivity.MemberAggregates;
import org.coursebatch.core.group.GroupActivity.Metric;
import org.coursebatch.core.group.GroupActivityAggregator;
import org.coursebatch.core.group.GroupMember;
import org.coursebatch.http.OpenApiExamples;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The group examples of openapi.yaml are real: requests decode, results are what GroupResult writes. */
class GroupOpenApiExamplesTest {

  static final String GROUP_ID = "2ae1e555-b9cc-4510-9c1d-2f2e5bbf8a2d";
  static final String COURSE_ID = "do_1131396442662912001425";
  static final String AARTI = "c4cc494f-04c3-49f3-b3d5-7b1a1984abad";
  static final String RAVI = "0a4300a0-6a7a-4edb-9111-a7c9c6a53693";
  static final String MEENA = "5b7f3c2e-1d4a-4e8b-9c0d-6a2b1e3f4d5c";
  static final String ADMIN = "9f8e7d6c-admin";

  private static OpenApiExamples doc;

  @BeforeAll
  static void load() {
    doc = OpenApiExamples.load();
  }

  static Group group() {
    return new Group(GROUP_ID, "Statistics study circle", List.of(new GroupMember(AARTI, "Aarti Sharma", "admin", "active", ADMIN),
        new GroupMember(RAVI, "Ravi Kumar", "member", "active", ADMIN), new GroupMember(MEENA, "Meena Iyer", "member", "inactive", AARTI)));
  }

  @Test
  void requestExamplesDecode() {
    assertEquals(new GroupActivityAggregator.Request(GROUP_ID, COURSE_ID, "Course"),
        GroupRequests.activity(requestOf(doc.requestExamples("GroupActivityAggregates").get(0))));
    assertEquals(group(), GroupRequests.group(GROUP_ID, requestOf(doc.requestExamples("PutGroup").get(0)), ADMIN));
  }

  @Test
  void resultsAreWhatGroupResultWrites() {
    Instant aarti = Instant.ofEpochMilli(1606480000000L);
    Instant ravi = Instant.ofEpochMilli(1606390000000L);
    var activity = new GroupActivity(GROUP_ID, COURSE_ID, "Course",
        List.of(new Metric("enrolmentCount", 2, Instant.ofEpochMilli(1606494586160L))),
        List.of(new MemberAggregates(new GroupMember(AARTI, "Aarti Sharma", "admin", "active", AARTI), List.of(
                new Metric("completedCount", 3, aarti), new Metric("enrolmentCount", 1, aarti), new Metric("progress", 100, aarti),
                new Metric("score:do_qs_1", 2, aarti), new Metric("max_score:do_qs_1", 3, aarti))),
            new MemberAggregates(new GroupMember(RAVI, "Ravi Kumar", "member", "active", AARTI), List.of(
                new Metric("completedCount", 1, ravi), new Metric("enrolmentCount", 1, ravi), new Metric("progress", 33, ravi)))));
    assertSameJson(doc.responseExample("GroupActivityAggregates").get("result"), GroupResult.Activity.of(activity));
    assertSameJson(doc.responseExample("GroupRead").get("result"), GroupResult.Read.of(group()));
    assertSameJson(doc.responseExample("GroupStored").get("result"), GroupResult.Stored.of(GROUP_ID));
  }
}
