package org.coursebatch.http.group;

import org.coursebatch.core.access.Operation;
import org.coursebatch.core.access.AccessPolicy;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.group.Group;
import org.coursebatch.core.group.GroupActivityAggregator;
import org.coursebatch.core.group.GroupsAdmin;
import org.coursebatch.core.group.GroupsService;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.http.api.ApiRequest;
import org.coursebatch.http.api.Endpoint;
import org.coursebatch.http.auth.Authenticator;

/**
 * Group activity aggregates on Sunbird's backend and gateway paths, and (standalone mode) the
 * built-in groups store: a group is put whole with PUT and read back with GET.
 */
public final class GroupEndpoints {

  private final GroupActivityAggregator aggregator;
  private final GroupsService groups;
  private final GroupsAdmin admin;
  private final AccessPolicy access;

  /**
   * @param aggregator also decides who may read a stored group
   * @param groups and {@code admin}: the built-in store ({@link #storeEndpoints()} only)
   * @param access who may write groups of the built-in store
   */
  public GroupEndpoints(GroupActivityAggregator aggregator, GroupsService groups, GroupsAdmin admin, AccessPolicy access) {
    this.aggregator = aggregator;
    this.groups = groups;
    this.admin = admin;
    this.access = access;
  }

  public List<Endpoint> activityEndpoints() {
    return List.of(
        Endpoint.post("/v1/group/activity/agg", "api.group.activity.agg", this::aggregate),
        Endpoint.post("/api/data/v1/group/activity/agg", "api.group.activity.agg", this::aggregate));
  }

  /** Served when the node keeps groups itself (no groups service configured). */
  public List<Endpoint> storeEndpoints() {
    return List.of(
        Endpoint.put("/v1/group/{groupId}", "api.group.put", this::putGroup),
        Endpoint.get("/v1/group/{groupId}", "api.group.read", this::getGroup));
  }

  private CompletionStage<GroupResult> aggregate(ApiRequest req) {
    var request = GroupRequests.activity(req.request());
    return aggregator.aggregate(request, req.requireCaller(), req.effectiveUserId(), Authenticator.userToken(req.http()))
        .thenApply(GroupResult.Activity::of);
  }

  private CompletionStage<GroupResult> putGroup(ApiRequest req) {
    access.require(Operation.GROUP_WRITE, req.requester(), AccessPolicy.Target.none());
    Caller caller = req.requireCaller();
    Group group = GroupRequests.group(req.pathParam("groupId"), req.request(), caller.userId());
    return admin.putGroup(group, caller.userId()).thenApply(done -> GroupResult.Stored.of(group.groupId()));
  }

  /** Readable by the group's members and system admins, as its activity aggregates are. */
  private CompletionStage<GroupResult> getGroup(ApiRequest req) {
    String groupId = req.pathParam("groupId");
    Caller caller = req.requireCaller();
    String actingFor = req.effectiveUserId();
    return groups.group(groupId).thenApply(found -> {
      Group group = found.orElseThrow(() -> ErrorCode.GROUP_NOT_FOUND.reject(groupId).asException());
      aggregator.checkMayRead(group, caller, actingFor);
      return GroupResult.Read.of(group);
    });
  }
}
