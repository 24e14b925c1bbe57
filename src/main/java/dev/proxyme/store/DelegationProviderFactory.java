package dev.proxyme.store;

import org.keycloak.provider.ProviderFactory;

public interface DelegationProviderFactory extends ProviderFactory<DelegationProvider> {}
