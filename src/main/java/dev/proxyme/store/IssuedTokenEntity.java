package dev.proxyme.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * The id ({@code jti}) of a token minted under a delegation. Revoking the delegation puts every unexpired id into
 * Keycloak's revoked-token store, which is what standard introspection checks.
 */
@Entity
@Table(name = "PROXYME_ISSUED_TOKEN")
@NamedQueries({
        @NamedQuery(name = "proxyme.unexpiredTokensOfDelegation",
                query = "select t from IssuedTokenEntity t where t.delegationId = :delegationId and t.expiresAt > :now"),
        @NamedQuery(name = "proxyme.deleteExpiredTokens",
                query = "delete from IssuedTokenEntity t where t.expiresAt < :now"),
        @NamedQuery(name = "proxyme.deleteTokensOfRealm",
                query = "delete from IssuedTokenEntity t where t.delegationId in"
                        + " (select d.id from DelegationEntity d where d.realmId = :realmId)")
})
public class IssuedTokenEntity {

    @Id
    @Column(name = "TOKEN_ID")
    private String tokenId;

    @Column(name = "DELEGATION_ID", nullable = false, length = 36)
    private String delegationId;

    @Column(name = "ISSUED_AT", nullable = false)
    private long issuedAt;

    /** Epoch seconds, as the token's {@code exp}. */
    @Column(name = "EXPIRES_AT", nullable = false)
    private long expiresAt;

    public String getTokenId() { return tokenId; }
    public void setTokenId(String tokenId) { this.tokenId = tokenId; }
    public String getDelegationId() { return delegationId; }
    public void setDelegationId(String delegationId) { this.delegationId = delegationId; }
    public long getIssuedAt() { return issuedAt; }
    public void setIssuedAt(long issuedAt) { this.issuedAt = issuedAt; }
    public long getExpiresAt() { return expiresAt; }
    public void setExpiresAt(long expiresAt) { this.expiresAt = expiresAt; }
}
