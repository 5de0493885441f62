package org.coursebatch.core.catalog;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.certificate.CertificateTemplateAsset;

/**
 * Where courses and certificate-template assets come from. The built-in implementation keeps them
 * in the service's database; an adapter to a Sunbird-style content service implements the same.
 */
public interface CourseCatalog {

  CompletionStage<Optional<Course>> findCourse(String courseId);

  CompletionStage<Optional<CertificateTemplateAsset>> findCertificateTemplate(String templateId);
}
