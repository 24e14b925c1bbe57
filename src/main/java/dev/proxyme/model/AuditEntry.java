package dev.proxyme.model;

/** An audit entry as it was written: the record, when (epoch milliseconds) and from which address. */
public record AuditEntry(long time, AuditRecord record, String sourceAddress) {}
