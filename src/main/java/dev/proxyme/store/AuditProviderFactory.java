package dev.proxyme.store;

import org.keycloak.provider.ProviderFactory;

public interface AuditProviderFactory extends ProviderFactory<AuditProvider> {}
