package org.coursebatch.http.group;

import static org.coursebatch.http.RequestAssertions.assertRejected;
import static org.coursebatch.http.RequestAssertions.req;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.group.Group;
import org.coursebatch.core.group.GroupActivityAggregator;
import org.coursebatch.core.group.GroupMember;
import org.junit.jupiter.api.Test;

/** The checks of group activity aggregate requests (Sunbird's) and of groups put into the built-in store. */
class GroupRequestsTest {

  @Test
  void theThreeFieldsAreMandatoryInSunbirdsOrder() {
    assertEquals(new GroupActivityAggregator.Request("g1", "do_1", "Course"),
        GroupRequests.activity(req("{'groupId':' g1 ','activityId':'do_1','activityType':'Course','extra':1}")));
    assertRejected(ErrorCode.INVALID_REQUESTED_DATA, "Requested data for this operation is not valid.", () -> GroupRequests.activity(req("{}")));
    assertRejected(ErrorCode.GROUP_ID_MISSING, "GroupId is mandatory.", () -> GroupRequests.activity(req("{'activityId':'a'}")));
    assertRejected(ErrorCode.GROUP_ID_MISSING, null, () -> GroupRequests.activity(req("{'groupId':' ','activityId':'a'}")));
    assertRejected(ErrorCode.ACTIVITY_ID_MISSING, "ActivityId is mandatory.",
        () -> GroupRequests.activity(req("{'groupId':'g1','activityType':'Course'}")));
    assertRejected(ErrorCode.ACTIVITY_TYPE_MISSING, "ActivityType is mandatory.",
        () -> GroupRequests.activity(req("{'groupId':'g1','activityId':'do_1','activityType':null}")));
    assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of groupId should be String.",
        () -> GroupRequests.activity(req("{'groupId':7,'activityId':'do_1','activityType':'Course'}")));
  }

  @Test
  void aGroupToStoreWithDefaults() {
    Group group = GroupRequests.group("g1", req("{'name':' Readers ','members':[{'userId':'u1','name':'One','role':'ADMIN'},"
        + "{'userId':' u2 ','status':'Inactive','createdBy':'u1'},{'userId':'u3','name':' '}]}"), "admin-1");
    assertEquals(new Group("g1", "Readers", List.of(new GroupMember("u1", "One", "admin", "active", "admin-1"),
        new GroupMember("u2", null, "member", "inactive", "u1"), new GroupMember("u3", null, "member", "active", "admin-1"))), group);
    assertEquals(new Group("g1", null, List.of()), GroupRequests.group("g1", req("{'members':[]}"), "admin-1"));
  }

  @Test
  void aGroupToStoreIsChecked() {
    assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter members is missing.",
        () -> GroupRequests.group("g1", req("{'name':'x'}"), "a"));
    assertRejected(ErrorCode.DATA_TYPE_ERROR, null, () -> GroupRequests.group("g1", req("{'members':'u1'}"), "a"));
    assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of members[0] should be Map.",
        () -> GroupRequests.group("g1", req("{'members':['u1']}"), "a"));
    assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter members[1].userId is missing.",
        () -> GroupRequests.group("g1", req("{'members':[{'userId':'u1'},{'name':'x'}]}"), "a"));
    assertRejected(ErrorCode.INVALID_PARAMETER_VALUE,
        "Invalid value u1 for parameter members[2].userId (each user is listed once). Please provide a valid value.",
        () -> GroupRequests.group("g1", req("{'members':[{'userId':'u1'},{'userId':'u2'},{'userId':' u1'}]}"), "a"));
    assertRejected(ErrorCode.INVALID_PARAMETER_VALUE,
        "Invalid value owner for parameter members[0].role (one of member, admin). Please provide a valid value.",
        () -> GroupRequests.group("g1", req("{'members':[{'userId':'u1','role':'owner'}]}"), "a"));
    assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, null,
        () -> GroupRequests.group("g1", req("{'members':[{'userId':'u1','status':'gone'}]}"), "a"));
    assertRejected(ErrorCode.VALUE_TOO_LONG, "Parameter members[0].userId is at most 100 characters; 101 were given.",
        () -> GroupRequests.group("g1", req("{'members':[{'userId':'" + "u".repeat(101) + "'}]}"), "a"));
    assertRejected(ErrorCode.VALUE_TOO_LONG, "Parameter groupId is at most 100 characters; 101 were given.",
        () -> GroupRequests.group("g".repeat(101), req("{'members':[]}"), "a"));
    assertRejected(ErrorCode.VALUE_TOO_LONG, "Parameter name is at most 200 characters; 201 were given.",
        () -> GroupRequests.group("g1", req("{'name':'" + "n".repeat(201) + "','members':[]}"), "a"));
  }
}
