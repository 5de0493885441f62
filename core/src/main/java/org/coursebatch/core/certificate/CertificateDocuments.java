package org.coursebatch.core.certificate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.json.JsonFields;

/** Reads certificate-template assets and the issuer/signatory parts shared with batch templates. */
public final class CertificateDocuments {

  private CertificateDocuments() {}

  /** A catalog asset: {@code name} required, {@code url} (or Sunbird's {@code artifactUrl}), optional issuer and signatories. */
  public static CertificateTemplateAsset parseAsset(String pathId, JsonNode value) {
    JsonFields doc = JsonFields.of(value, "request");
    String identifier = doc.string("identifier").orElse(pathId);
    if (!identifier.equals(pathId)) {
      throw ErrorCode.INVALID_PARAMETER_VALUE.reject(identifier, "identifier (it must equal the id in the path, " + pathId + ")").asException();
    }
    String name = doc.requiredString("name");
    String url = doc.string("url").or(() -> doc.string("artifactUrl")).orElse(null);
    return new CertificateTemplateAsset(identifier, name, url, issuer(doc).orElse(null), signatories(doc).orElse(List.of()));
  }

  /** {@code issuer}: a JSON object when given. */
  public static Optional<JsonNode> issuer(JsonFields doc) {
    return doc.object("issuer").map(JsonFields::node);
  }

  /** {@code signatoryList}: a list of objects, each with name, id, designation and image. */
  public static Optional<List<Signatory>> signatories(JsonFields doc) {
    if (doc.has("signatoryList") && !doc.node().get("signatoryList").isArray()) {
      throw ErrorCode.DATA_TYPE_ERROR.reject("signatoryList", "List").asException();
    }
    Optional<List<JsonNode>> items = doc.array("signatoryList");
    if (items.isEmpty()) {
      return Optional.empty();
    }
    List<Signatory> out = new ArrayList<>();
    for (JsonNode item : items.get()) {
      if (!item.isObject()) {
        throw ErrorCode.INVALID_DATA.reject().asException();
      }
      String name = text(item, "name");
      String id = text(item, "id");
      String designation = text(item, "designation");
      String image = text(item, "image");
      if (name == null || id == null || designation == null || image == null) {
        throw ErrorCode.INVALID_DATA.reject().asException();
      }
      out.add(new Signatory(name, id, designation, image));
    }
    return Optional.of(out);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.textValue() : null;
  }
}
