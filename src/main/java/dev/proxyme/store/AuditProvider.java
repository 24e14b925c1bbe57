package dev.proxyme.store;

import java.util.List;

import org.keycloak.models.RealmModel;
import org.keycloak.provider.Provider;

import dev.proxyme.model.AuditEntry;

/** Proxyme's append-only audit log in the realm's database. Obtained with {@code session.getProvider(AuditProvider.class)}. */
public interface AuditProvider extends Provider {

    /** Appends an entry in the session's transaction. */
    void add(RealmModel realm, AuditEntry entry);

    /** A delegation's entries, oldest first. */
    List<AuditEntry> findOfDelegation(RealmModel realm, String delegationId);

    /** Removes entries older than the given time (epoch milliseconds); returns how many. */
    int purgeBefore(long timeMillis);

    void removeRealm(RealmModel realm);
}
