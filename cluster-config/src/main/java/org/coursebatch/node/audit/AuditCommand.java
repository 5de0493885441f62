package org.coursebatch.node.audit;

import picocli.CommandLine.Command;

/**
 * {@code course-batch-service audit ...}: the journal as an audit trail, read straight from the
 * database the nodes use (configured by the same environment variables, see the README), with no
 * node running or while nodes run.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Reads the event journal: history, export, tamper verification, read-model rebuild, events the read models"
        + " left out, publishing a range again.",
    subcommands = {HistoryCommand.class, ExportCommand.class, VerifyCommand.class, RebuildCommand.class,
        FailuresCommand.class, RepublishCommand.class})
public final class AuditCommand {}
