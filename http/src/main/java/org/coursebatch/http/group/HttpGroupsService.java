package org.coursebatch.http.group;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawHeader;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.group.Group;
import org.coursebatch.core.group.GroupMember;
import org.coursebatch.core.group.GroupsService;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.auth.Authenticator;
import org.coursebatch.http.outbound.ServiceCalls;
import org.coursebatch.http.outbound.ServiceCalls.CallFailed;

/**
 * A Sunbird-style groups service over HTTP: {@code GET {url}/v1/group/read/{groupId}?fields=members}
 * with the caller's token in {@code x-authenticated-user-token} (as lms-service asks
 * groups-service; point {@code url} at {@code http://groups-service:9000/private} for its private
 * route). The answer is read as the Sunbird envelope whose {@code result} holds the group:
 * <pre>{"result": {"id", "name", "members": [{"userId", "name", "role", "status", "createdBy"}, ...]}}</pre>
 * (other fields, {@code id} included, are ignored; members without a {@code userId} are skipped;
 * absent or null {@code members} is a group without members). HTTP 404 is an unknown group; any
 * other 4xx, and a service that cannot answer ({@link ServiceCalls}: timeout, retries, breaker),
 * is {@link ErrorCode#GROUPS_SERVICE_UNAVAILABLE}.
 */
public final class HttpGroupsService implements GroupsService {

  /** How one call ended when the service answered (failures are exceptions). */
  private sealed interface Answer {
    record Found(Group group) implements Answer {}

    record NotFound() implements Answer {}

    /** A 4xx other than 404: the service refused this request; asking again would not help. */
    record Refused(int status) implements Answer {}
  }

  private final ServiceCalls calls;

  public HttpGroupsService(ActorSystem<?> system, ServiceCalls.Settings settings) {
    this.calls = new ServiceCalls(system, settings, ErrorCode.GROUPS_SERVICE_UNAVAILABLE);
  }

  /** The groups service's settings from its url and limits. */
  public static ServiceCalls.Settings settings(String url, Duration timeout, int retries,
      Duration retryBackoff, int maxFailures, Duration resetTimeout) {
    return new ServiceCalls.Settings("groups service", url, timeout, retries, retryBackoff, maxFailures, resetTimeout);
  }

  public ServiceCalls.Settings settings() {
    return calls.settings();
  }

  @Override
  public CompletionStage<Optional<Group>> group(String groupId) {
    return group(groupId, Optional.empty());
  }

  @Override
  public CompletionStage<Optional<Group>> group(String groupId, Optional<String> userToken) {
    String what = "group " + groupId;
    return calls.call(what, () -> request(groupId, userToken), a -> answer(groupId, a)).thenApply(a -> {
      if (a instanceof Answer.Found f) {
        return Optional.of(f.group());
      }
      if (a instanceof Answer.Refused r) {
        throw calls.refused(what, r.status());
      }
      return Optional.<Group>empty();
    });
  }

  private HttpRequest request(String groupId, Optional<String> userToken) {
    String uri = calls.settings().url() + "/v1/group/read/" + URLEncoder.encode(groupId, StandardCharsets.UTF_8).replace("+", "%20")
        + "?fields=members";
    HttpRequest request = HttpRequest.GET(uri).addHeader(RawHeader.create("Accept", "application/json"));
    if (userToken.isPresent()) {
      request = request.addHeader(RawHeader.create(Authenticator.USER_TOKEN_HEADER, userToken.get()));
    }
    return request;
  }

  private static Answer answer(String groupId, ServiceCalls.Answer answer) {
    if (answer.status() == 404) {
      return new Answer.NotFound();
    }
    if (answer.status() >= 300) {
      return new Answer.Refused(answer.status());
    }
    return new Answer.Found(parse(groupId, answer.body()));
  }

  /** The group in a Sunbird envelope's {@code result}. */
  static Group parse(String groupId, String body) {
    JsonNode result;
    try {
      result = Envelope.JSON.readTree(body).path("result");
    } catch (Exception e) {
      throw new CallFailed("its answer is not JSON");
    }
    if (!result.isObject()) {
      throw new CallFailed("its answer has no result");
    }
    List<GroupMember> members = new ArrayList<>();
    for (JsonNode m : result.path("members")) {
      String userId = text(m, "userId");
      if (userId != null && !userId.isBlank()) {
        members.add(new GroupMember(userId, text(m, "name"), text(m, "role"), text(m, "status"), text(m, "createdBy")));
      }
    }
    return new Group(groupId, text(result, "name"), members);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
  }
}
