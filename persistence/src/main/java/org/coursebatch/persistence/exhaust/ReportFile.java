package org.coursebatch.persistence.exhaust;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import net.lingala.zip4j.io.outputstream.ZipOutputStream;
import net.lingala.zip4j.model.ZipParameters;
import net.lingala.zip4j.model.enums.AesKeyStrength;
import net.lingala.zip4j.model.enums.CompressionLevel;
import net.lingala.zip4j.model.enums.EncryptionMethod;

/**
 * A report being written: a zip with one CSV entry (RFC 4180, UTF-8, {@code \n} line ends,
 * quoted only where needed), AES-256 encrypted with the request's key when it has one. Rows are
 * written through as they come, so memory does not grow with the file.
 */
final class ReportFile implements AutoCloseable {

  private static final CsvMapper CSV = (CsvMapper) new CsvMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private final ZipOutputStream zip;
  private final Writer text;
  private final SequenceWriter rows;

  ReportFile(Path file, String entryName, Optional<String> password) throws IOException {
    OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    ZipParameters parameters = new ZipParameters();
    parameters.setFileNameInZip(entryName);
    parameters.setCompressionLevel(CompressionLevel.FAST);
    if (password.isPresent()) {
      parameters.setEncryptFiles(true);
      parameters.setEncryptionMethod(EncryptionMethod.AES);
      parameters.setAesKeyStrength(AesKeyStrength.KEY_STRENGTH_256);
      zip = new ZipOutputStream(out, password.get().toCharArray());
    } else {
      zip = new ZipOutputStream(out);
    }
    zip.putNextEntry(parameters);
    text = new OutputStreamWriter(zip, StandardCharsets.UTF_8);
    rows = CSV.writer().writeValues(text);
  }

  void write(List<String> row) throws IOException {
    rows.write(row);
  }

  @Override
  public void close() throws IOException {
    rows.close();
    text.flush();
    zip.closeEntry();
    zip.close();
  }
}
