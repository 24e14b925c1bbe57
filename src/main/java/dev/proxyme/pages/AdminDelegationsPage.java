package dev.proxyme.pages;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.keycloak.Config;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.services.resources.admin.fgap.AdminPermissions;

import dev.proxyme.ProxymeException;
import dev.proxyme.admin.AdminRevocations;
import dev.proxyme.admin.DelegationRecords;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.model.Actor;
import dev.proxyme.model.AuditRecord;
import dev.proxyme.representation.RevocationResponse;
import dev.proxyme.representation.Views;

/**
 * The administrators' page of a realm's delegations at {@code /realms/{realm}/proxyme/admin}, in the realm's look,
 * reached from the Admin Console's Proxyme tab: find delegations by username, agent, portal and status; open one (its
 * trail: approval, tokens issued, ending); revoke it, all of its user's, or all of its agent's (the kill switch),
 * each behind a confirmation. The administrator logs in to the realm as on Proxyme's other pages; Keycloak's roles
 * decide ({@code view-users} to see, {@code manage-users} to act, as the admin REST API asks), and every revocation is
 * an admin event. Every POST proves it came from this page (see {@link BrowserPage}) and consumes a one-time nonce.
 */
public class AdminDelegationsPage {

    static final String TEMPLATE = "proxyme-admin.ftl";
    /** The latest requests the page shows of a delegation; the admin API pages through the rest. */
    private static final int ACTIVITY_SHOWN = 20;
    /** What the revoke form's {@code what} may name: one delegation, everything of a user, of an agent. */
    private static final List<String> REVOCABLE = List.of("delegation", "user", "agent");

    private final KeycloakSession session;
    /** The realm whose delegations the page shows. */
    private final RealmModel realm;
    /** The realm the administrator logs in to: the same realm, or the master realm for every realm. */
    private final RealmModel adminRealm;
    /** The page's path under Proxyme's: {@code admin}, or {@code admin/realms/{realm}} in the master realm. */
    private final String path;

    private final BrowserPage page;

    public AdminDelegationsPage(KeycloakSession session) {
        this(session, session.getContext().getRealm(), "admin");
    }

    private AdminDelegationsPage(KeycloakSession session, RealmModel realm, String path) {
        this.session = session;
        this.realm = realm;
        this.adminRealm = session.getContext().getRealm();
        this.path = path;
        this.page = new BrowserPage(session);
    }

    /**
     * The page of another realm's delegations for the master realm's administrators, who log in to the master realm as
     * in the Admin Console: {@code /realms/master/proxyme/admin/realms/{realm}}. Nowhere else, and for no unknown realm.
     */
    @Path("realms/{realm}")
    public AdminDelegationsPage ofRealm(@PathParam("realm") String realmName) {
        RealmModel target = session.realms().getRealmByName(realmName);
        if (!Config.getAdminRealm().equals(adminRealm.getName())
                || !realm.getId().equals(adminRealm.getId())
                || target == null) {
            throw new NotFoundException();
        }
        return new AdminDelegationsPage(session, target, "admin/realms/" + BrowserPage.encode(target.getName()));
    }

    /** What an administrator who logged in may do here. */
    private record Admin(AdminAuth auth, AdminPermissionEvaluator permissions) {

        UserModel user() {
            return auth.getUser();
        }

        boolean mayView() {
            return permissions.users().canView();
        }

        boolean mayManage() {
            return permissions.users().canManage();
        }
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response list(
            @QueryParam("username") String username,
            @QueryParam("agent") String agent,
            @QueryParam("portal") String portal,
            @QueryParam("status") String status,
            @QueryParam("granted_from") String grantedFrom,
            @QueryParam("granted_to") String grantedTo,
            @QueryParam("first") String first) {
        AuthResult auth = page.authenticate();
        if (auth == null) {
            return page.redirectToLogin(page.pageUri(path));
        }
        Admin admin = adminOf(auth);
        if (!admin.mayView()) {
            return forbidden(admin, "the delegations page");
        }
        Map<String, Object> view = view(admin, "list");
        AdminDelegationFilter filter =
                AdminDelegationFilter.of(username, agent, portal, status, grantedFrom, grantedTo, first);
        DelegationRecords records = new DelegationRecords(session, realm);
        view.put("filter", filter.view());
        view.put(
                "delegations",
                records.search(filter.query(records)).stream().map(Views::of).toList());
        return page.render(TEMPLATE, admin.user(), view, 200);
    }

    @GET
    @Path("delegations/{id}")
    @Produces(MediaType.TEXT_HTML)
    public Response show(@PathParam("id") String delegationId) {
        AuthResult auth = page.authenticate();
        if (auth == null) {
            return page.redirectToLogin(page.pageUri(path + "/delegations/" + BrowserPage.encode(delegationId)));
        }
        Admin admin = adminOf(auth);
        if (!admin.mayView()) {
            return forbidden(admin, "a delegation");
        }
        DelegationRecords records = new DelegationRecords(session, realm);
        return records.find(delegationId)
                .map(found -> {
                    Map<String, Object> view = view(admin, "delegation");
                    view.put("record", Views.of(found));
                    records.activity(delegationId, null, null, 0, ACTIVITY_SHOWN)
                            .ifPresent(activity -> view.put("activity", Views.of(activity)));
                    UserModel user = session.users()
                            .getUserById(realm, found.delegation().userId());
                    if (user != null) {
                        view.put("delegationUsername", user.getUsername());
                    }
                    return page.render(TEMPLATE, admin.user(), view, 200);
                })
                .orElseGet(() -> message(admin, "proxymeAdminUnknown", 404));
    }

    /** Revokes one delegation, all of a user's, or all of an agent's: what the form's {@code what} names. */
    @POST
    @Path("revoke")
    @Produces(MediaType.TEXT_HTML)
    public Response revoke() {
        AuthResult auth = page.authenticate();
        if (auth == null) {
            return page.redirectToLogin(page.pageUri(path));
        }
        Admin admin = adminOf(auth);
        MultivaluedMap<String, String> form = page.form();
        String forgery = page.forgeryOf(form);
        if (forgery == null
                && !page.consumeFormNonce(form.getFirst("nonce"), admin.user().getId())) {
            forgery = "replayed or forged";
        }
        if (forgery != null) {
            return refused(admin, "admin revoke form " + forgery, "proxymeRevokeRefused");
        }
        if (!admin.mayManage()) {
            return forbidden(admin, "a revocation");
        }
        String what = form.getFirst("what");
        String target = form.getFirst("target");
        if (!REVOCABLE.contains(String.valueOf(what)) || target == null || target.isBlank()) {
            return message(admin, "proxymeAdminUnknown", 400);
        }
        AdminRevocations revocations =
                new AdminRevocations(session, realm, Actor.admin(admin.user().getId()));
        Optional<RevocationResponse> result;
        try {
            result = switch (what) {
                // Under the row's lock: of two revocations at once, one ends it and records the admin event.
                case "delegation" -> revocations.delegation(target);
                case "user" -> Optional.of(revocations.user(target));
                default -> Optional.of(revocations.agent(target));
            };
        } catch (ProxymeException unknown) {
            return message(admin, "proxymeAdminUnknown", unknown.status());
        }
        if (result.isEmpty()) {
            return message(admin, "proxymeAdminAlreadyEnded", 409);
        }
        adminEvent(admin)
                .operation(OperationType.ACTION)
                // The admin REST API's own paths, so that one filter of the admin events finds both.
                .resourcePath("proxyme", what + "s", target, "revoke")
                .representation(result.get())
                .success();
        return message(admin, "proxymeAdminRevoked", 200);
    }

    /**
     * The administrator as Keycloak's admin API sees one: of the realm they logged in to, their roles there (a token
     * naming only the user, so that Keycloak reads the user's role mappings, as for a full-scope admin token), judged
     * over this page's realm; for the master realm's administrators, through its realm's client roles there.
     */
    private Admin adminOf(AuthResult login) {
        // Keycloak's permission checks read the request's client, as its admin API's authentication sets it.
        session.getContext().setClient(adminRealm.getClientByClientId(LoginClient.CLIENT_ID));
        AccessToken asTheUser = new AccessToken();
        asTheUser.subject(login.user().getId());
        AdminAuth auth = new AdminAuth(
                adminRealm, asTheUser, login.user(), adminRealm.getClientByClientId(LoginClient.CLIENT_ID));
        return new Admin(auth, AdminPermissions.evaluator(session, realm, auth));
    }

    /** The admin event Keycloak records for an action of its admin API, with this page's administrator. */
    private AdminEventBuilder adminEvent(Admin admin) {
        return new AdminEventBuilder(
                        realm, admin.auth(), session, session.getContext().getConnection())
                .resource(ResourceType.CUSTOM);
    }

    private Response forbidden(Admin admin, String what) {
        return refused(admin, "no permission for " + what, "proxymeAdminForbidden");
    }

    private Response refused(Admin admin, String why, String message) {
        new AuditLog(session, realm)
                .recordRefusal(
                        EventType.REVOKE_GRANT,
                        AuditRecord.refusal(Actor.admin(admin.user().getId()), OAuthErrorException.ACCESS_DENIED, why)
                                .user(admin.user().getId()));
        return message(admin, message, 403);
    }

    private Response message(Admin admin, String message, int status) {
        Map<String, Object> view = view(admin, "message");
        view.put("message", message);
        return page.render(TEMPLATE, admin.user(), view, status);
    }

    private Map<String, Object> view(Admin admin, String kind) {
        Map<String, Object> view = new HashMap<>();
        view.put("view", kind);
        view.put("listUrl", page.pageUri(path).toString());
        view.put("delegationUrl", page.pageUri(path + "/delegations/").toString());
        view.put("revokeUrl", page.pageUri(path + "/revoke").toString());
        view.put(
                "realmName",
                realm.getDisplayName() == null || realm.getDisplayName().isBlank()
                        ? realm.getName()
                        : realm.getDisplayName());
        view.put("mayManage", admin.mayManage());
        if (admin.mayManage() && "delegation".equals(kind)) {
            // Only a page with a form to post holds a nonce: a refused page writes nothing to the store.
            view.put("stateChecker", page.stateChecker());
            view.put("nonce", page.issueFormNonce(admin.user().getId()));
        }
        return view;
    }
}
