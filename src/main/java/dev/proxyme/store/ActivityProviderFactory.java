package dev.proxyme.store;

import org.keycloak.provider.ProviderFactory;

public interface ActivityProviderFactory extends ProviderFactory<ActivityProvider> {}
