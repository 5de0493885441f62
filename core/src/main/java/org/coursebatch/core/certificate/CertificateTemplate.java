package org.coursebatch.core.certificate;

import com.fasterxml.jackson.databind.JsonNode;
import org.coursebatch.core.json.AbsentJson;
import java.util.List;

/**
 * A certificate template attached to a batch: the catalog asset's identifier, name and design url,
 * the criteria, and the issuer and signatories printed on the certificate. {@code issuer},
 * {@code notifyTemplate} and {@code additionalProps} are free-form JSON objects as in Sunbird.
 */
public record CertificateTemplate(
    String identifier,
    String name,
    String url,
    CertificateCriteria criteria,
    JsonNode issuer,
    List<Signatory> signatoryList,
    JsonNode notifyTemplate,
    JsonNode additionalProps) {

  public CertificateTemplate {
    signatoryList = signatoryList == null ? List.of() : List.copyOf(signatoryList);
    issuer = AbsentJson.orNull(issuer);
    notifyTemplate = AbsentJson.orNull(notifyTemplate);
    additionalProps = AbsentJson.orNull(additionalProps);
  }

  /** Fills what the request left out (name, url, issuer, signatories) from the catalog asset. */
  public CertificateTemplate completedFrom(CertificateTemplateAsset asset) {
    return new CertificateTemplate(
        identifier,
        asset.name(),
        asset.url(),
        criteria,
        issuer != null ? issuer : asset.issuer(),
        !signatoryList.isEmpty() ? signatoryList : asset.signatoryList(),
        notifyTemplate,
        additionalProps);
  }

  /**
   * Whether a certificate of this asset can name its issuer and signatories, as lms-service decides
   * it when a template is attached: the asset has both, or the request names both, even empty ones.
   */
  public static boolean issuerAndSignatoriesKnown(CertificateTemplateAsset asset, boolean requestNamesBoth) {
    return requestNamesBoth || (asset.issuer() != null && !asset.issuer().isEmpty() && !asset.signatoryList().isEmpty());
  }
}
