package dev.proxyme.store;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** Proxyme's activity log, as a Keycloak SPI of its own (its JPA implementation is the default). */
public class ActivitySpi implements Spi {

    @Override
    public boolean isInternal() {
        return true;
    }

    @Override
    public String getName() {
        return "proxyme-activity";
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return ActivityProvider.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return ActivityProviderFactory.class;
    }
}
