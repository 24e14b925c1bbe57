package dev.proxyme.store.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A token issued under a delegation: the one row minting writes. The delegation's row decides whether the token is
 * accepted; this row says who was issued which token, when, for what.
 */
@Entity
@Table(name = "PROXYME_ISSUED_TOKEN")
@NamedQueries({
    @NamedQuery(
            name = "proxyme.tokensOfDelegation",
            query =
                    "select t from IssuedTokenEntity t where t.delegationId = :delegationId order by t.issuedTime, t.tokenId"),
    @NamedQuery(
            name = "proxyme.usageOfDelegations",
            query = "select t.delegationId, count(t), max(t.issuedTime) from IssuedTokenEntity t"
                    + " where t.delegationId in :delegationIds group by t.delegationId"),
    @NamedQuery(
            name = "proxyme.deleteTokensIssuedBefore",
            query = "delete from IssuedTokenEntity t where t.issuedTime < :before"),
    @NamedQuery(
            name = "proxyme.deleteTokensOfRealm",
            query = "delete from IssuedTokenEntity t where t.delegationId in"
                    + " (select d.id from DelegationEntity d where d.realmId = :realmId)")
})
public class IssuedTokenEntity {

    @Id
    @Column(name = "TOKEN_ID")
    private String tokenId;

    @Column(name = "DELEGATION_ID", nullable = false, length = 36)
    private String delegationId;

    /** Epoch seconds, as the token's {@code iat}. */
    @Column(name = "ISSUED_AT", nullable = false)
    private long issuedAt;

    /** Epoch milliseconds: orders the delegation's trail with its audit rows. */
    @Column(name = "ISSUED_TIME", nullable = false)
    private long issuedTime;

    /** Epoch seconds, as the token's {@code exp}. */
    @Column(name = "EXPIRES_AT", nullable = false)
    private long expiresAt;

    @Column(name = "SCOPE", length = 1024)
    private String scope;

    @Column(name = "ACTOR_TYPE", length = 16)
    private String actorType;

    @Column(name = "ACTOR_ID")
    private String actorId;

    @Column(name = "SOURCE_ADDRESS", length = 64)
    private String sourceAddress;

    public String getTokenId() {
        return tokenId;
    }

    public void setTokenId(String tokenId) {
        this.tokenId = tokenId;
    }

    public String getDelegationId() {
        return delegationId;
    }

    public void setDelegationId(String delegationId) {
        this.delegationId = delegationId;
    }

    public long getIssuedAt() {
        return issuedAt;
    }

    public void setIssuedAt(long issuedAt) {
        this.issuedAt = issuedAt;
    }

    public long getIssuedTime() {
        return issuedTime;
    }

    public void setIssuedTime(long issuedTime) {
        this.issuedTime = issuedTime;
    }

    public long getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(long expiresAt) {
        this.expiresAt = expiresAt;
    }

    public String getScope() {
        return scope;
    }

    public void setScope(String scope) {
        this.scope = scope;
    }

    public String getActorType() {
        return actorType;
    }

    public void setActorType(String actorType) {
        this.actorType = actorType;
    }

    public String getActorId() {
        return actorId;
    }

    public void setActorId(String actorId) {
        this.actorId = actorId;
    }

    public String getSourceAddress() {
        return sourceAddress;
    }

    public void setSourceAddress(String sourceAddress) {
        this.sourceAddress = sourceAddress;
    }
}
