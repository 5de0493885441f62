package org.coursebatch.http.enrollment;

import org.coursebatch.http.api.Envelope;
import org.coursebatch.core.user.UserDirectory;
import org.coursebatch.core.access.AccessChecks;
import org.coursebatch.core.access.AccessPolicy;
import org.coursebatch.core.access.AccessRoles;
import static org.coursebatch.http.enrollment.EnrollmentFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import akka.NotUsed;
import akka.http.javadsl.model.HttpRequest;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.certificate.CertificateTemplateAsset;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.EnrollmentQueries;
import org.coursebatch.core.enrollment.EnrollmentRecord;
import org.coursebatch.core.enrollment.EnrollmentSelection;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.http.api.ApiRequest;
import org.coursebatch.http.api.Endpoint;
import org.junit.jupiter.api.Test;

/**
 * The user enrolment list, which needs no batch or enrolment entity without {@code batchDetails}:
 * who may list whose enrolments, and how courses are looked up. The other routes are exercised
 * against a running node.
 */
class EnrollmentEndpointsTest {

  private final List<String> courseLookups = new ArrayList<>();

  private final CourseCatalog catalog = new CourseCatalog() {
    @Override
    public CompletionStage<Optional<Course>> findCourse(String courseId) {
      courseLookups.add(courseId);
      return CompletableFuture.completedFuture(courseId.equals(COURSE_ID) ? Optional.of(course()) : Optional.empty());
    }

    @Override
    public CompletionStage<Optional<CertificateTemplateAsset>> findCertificateTemplate(String templateId) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
  };

  private static EnrollmentRecord inUnknownCourse() {
    var r = completedRecord();
    return new EnrollmentRecord("b-gone", r.userId(), "do_gone", r.participation(), false, r.enrolledDate(), r.addedBy(), 0, 0, 0,
        null, null, null, null, null, List.of(), r.updatedAt());
  }

  /** The directory's root organisations: the admin and the learner are of one organisation. */
  private static final UserDirectory ORGS = new UserDirectory() {
    final Map<String, String> orgs = Map.of("admin-1", "org-1", LEARNER, "org-1", OTHER_LEARNER, "org-1");

    public CompletionStage<Optional<String>> rootOrgId(String userId) {
      return CompletableFuture.completedFuture(Optional.ofNullable(orgs.get(userId)));
    }

    public CompletionStage<java.util.Set<String>> knownUsers(java.util.Collection<String> userIds) {
      throw new UnsupportedOperationException();
    }

    public CompletionStage<Map<String, org.coursebatch.core.user.UserProfile>> profiles(java.util.Collection<String> userIds) {
      throw new UnsupportedOperationException();
    }

    public CompletionStage<Map<String, org.coursebatch.core.user.Consent>> consents(String courseId, String consumerOrg,
        java.util.Collection<String> userIds) {
      throw new UnsupportedOperationException();
    }
  };

  private final EnrollmentQueries queries = new EnrollmentQueries() {
    @Override
    public CompletionStage<List<EnrollmentRecord>> enrollmentsOf(String userId) {
      return CompletableFuture.completedFuture(userId.equals(LEARNER)
          ? List.of(completedRecord(), inUnknownCourse(), waitlistedRecord())
          : List.of());
    }

    @Override
    public CompletionStage<List<String>> participants(String batchId, boolean active) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Source<EnrollmentId, NotUsed> enrollmentIds(EnrollmentSelection selection) {
      throw new UnsupportedOperationException();
    }
  };

  private final List<Endpoint> endpoints =
      new EnrollmentEndpoints(null, queries, null, catalog, new AccessChecks(new AccessPolicy(AccessRoles.SUNBIRD), ORGS)).endpoints();

  private JsonNode list(String path, String uid, Caller caller, String requestedFor) throws Exception {
    Endpoint e = endpoints.stream().filter(x -> x.path().equals(path)).findFirst().orElseThrow();
    var request = new ApiRequest(HttpRequest.create(path.replace("{uid}", uid) + "?fields=status"), Map.of("uid", uid),
        Optional.of(caller), Optional.ofNullable(requestedFor), Optional.empty());
    try {
      return Envelope.JSON.valueToTree(e.handler().handle(request).toCompletableFuture().get(5, TimeUnit.SECONDS));
    } catch (java.util.concurrent.ExecutionException failed) {
      throw failed.getCause() instanceof RejectedException r ? r : failed;
    }
  }

  private static List<String> batchIds(JsonNode result) {
    List<String> out = new ArrayList<>();
    result.get("courses").forEach(c -> out.add(c.get("batchId").asText()));
    return out;
  }

  @Test
  void aLearnerListsTheirOwnEnrolmentsOnBothPaths() throws Exception {
    for (String path : List.of("/v1/user/courses/list/{uid}", "/api/course/v1/user/enrollment/list/{uid}")) {
      courseLookups.clear();
      JsonNode result = list(path, LEARNER, Caller.of(LEARNER), null);
      assertEquals(List.of(BATCH_ID, WAITLIST_BATCH_ID), batchIds(result), "the enrolment of a course no longer in the catalog is left out");
      assertEquals("Live", result.at("/courses/0/content/status").asText(), "fields");
      assertEquals(List.of(COURSE_ID, "do_gone"), courseLookups, "each course is looked up once");
    }
  }

  @Test
  void aParentListsTheManagedUsersEnrolments() throws Exception {
    assertEquals(2, list("/v1/user/courses/list/{uid}", LEARNER, Caller.of("parent-1"), LEARNER).get("courses").size());
    var e = assertThrows(RejectedException.class, () -> list("/v1/user/courses/list/{uid}", "parent-1", Caller.of("parent-1"), LEARNER));
    assertEquals(ErrorCode.UNAUTHORIZED_USER, e.rejection().code(), "acting for a managed user, the list is theirs");
  }

  @Test
  void anotherUsersListNeedsAnAdminRole() throws Exception {
    var e = assertThrows(RejectedException.class, () -> list("/v1/user/courses/list/{uid}", LEARNER, Caller.of(OTHER_LEARNER), null));
    assertEquals(ErrorCode.UNAUTHORIZED_USER, e.rejection().code());
    assertEquals(2, list("/v1/user/courses/list/{uid}", LEARNER, Caller.of("admin-1", "org_admin"), null).get("courses").size());
    e = assertThrows(RejectedException.class, () -> list("/v1/user/courses/list/{uid}", "nobody", Caller.of("admin-1", "ORG_ADMIN"), null));
    assertEquals(ErrorCode.UNAUTHORIZED_USER, e.rejection().code(), "an org admin has no authority over a user of no known organisation");
    assertEquals(0, list("/v1/user/courses/list/{uid}", "nobody", Caller.of("root-1", "SYSTEM_ADMINISTRATION"), null).get("courses").size());
  }
}
