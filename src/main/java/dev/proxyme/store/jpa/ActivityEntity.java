package dev.proxyme.store.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** One request the proxy passed or refused under a delegation. */
@Entity
@Table(name = "PROXYME_ACTIVITY")
@NamedQueries({
    @NamedQuery(
            name = "proxyme.activityOfDelegation",
            query = "select a from ActivityEntity a where a.realmId = :realmId and a.delegationId = :delegationId"
                    + " and a.time >= :from and a.time < :to order by a.time desc, a.id desc"),
    @NamedQuery(
            name = "proxyme.activityCountsOfDelegation",
            query =
                    "select a.method, a.path, a.allowed, sum(a.requestCount) from ActivityEntity a where a.realmId = :realmId"
                            + " and a.delegationId = :delegationId and a.time >= :from and a.time < :to"
                            + " group by a.method, a.path, a.allowed order by sum(a.requestCount) desc, a.path"),
    @NamedQuery(name = "proxyme.deleteActivityBefore", query = "delete from ActivityEntity a where a.time < :before"),
    @NamedQuery(
            name = "proxyme.deleteActivityOfRealm",
            query = "delete from ActivityEntity a where a.realmId = :realmId")
})
public class ActivityEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "DELEGATION_ID", nullable = false, length = 36)
    private String delegationId;

    /** The last request's time; {@link #firstTime} the first's, of the {@link #requestCount} requests of this row. */
    @Column(name = "ACTIVITY_TIME", nullable = false)
    private long time;

    @Column(name = "FIRST_TIME", nullable = false)
    private long firstTime;

    @Column(name = "REQUEST_COUNT", nullable = false)
    private int requestCount;

    @Column(name = "METHOD", nullable = false, length = 16)
    private String method;

    @Column(name = "PATH", nullable = false, length = 1024)
    private String path;

    @Column(name = "ALLOWED", nullable = false)
    private boolean allowed;

    @Column(name = "REASON", length = 255)
    private String reason;

    @Column(name = "NODE", length = 128)
    private String node;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public String getDelegationId() {
        return delegationId;
    }

    public void setDelegationId(String delegationId) {
        this.delegationId = delegationId;
    }

    public long getTime() {
        return time;
    }

    public void setTime(long time) {
        this.time = time;
    }

    public long getFirstTime() {
        return firstTime;
    }

    public void setFirstTime(long firstTime) {
        this.firstTime = firstTime;
    }

    public int getCount() {
        return requestCount;
    }

    public void setCount(int count) {
        this.requestCount = count;
    }

    public String getMethod() {
        return method;
    }

    public void setMethod(String method) {
        this.method = method;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public boolean isAllowed() {
        return allowed;
    }

    public void setAllowed(boolean allowed) {
        this.allowed = allowed;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
    }
}
