package dev.proxyme.store;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** Proxyme's audit storage, as a Keycloak SPI of its own (its JPA implementation is the default). */
public class AuditSpi implements Spi {

    @Override
    public boolean isInternal() {
        return true;
    }

    @Override
    public String getName() {
        return "proxyme-audit";
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return AuditProvider.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return AuditProviderFactory.class;
    }
}
