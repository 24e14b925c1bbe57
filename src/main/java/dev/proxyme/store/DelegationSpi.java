package dev.proxyme.store;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** Proxyme's delegation storage, as a Keycloak SPI of its own (its JPA implementation is the default). */
public class DelegationSpi implements Spi {

    @Override
    public boolean isInternal() {
        return true;
    }

    @Override
    public String getName() {
        return "proxyme-delegation";
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return DelegationProvider.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return DelegationProviderFactory.class;
    }
}
