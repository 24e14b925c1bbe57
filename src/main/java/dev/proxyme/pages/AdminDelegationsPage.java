package dev.proxyme.pages;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

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
import dev.proxyme.model.DelegationStatus;
import dev.proxyme.representation.RevocationResponse;
import dev.proxyme.representation.Views;
import dev.proxyme.store.DelegationQuery;

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
    private static final int PAGE = 50;
    /** What the revoke form's {@code what} may name: one delegation, everything of a user, of an agent. */
    private static final List<String> REVOCABLE = List.of("delegation", "user", "agent");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final BrowserPage page;

    public AdminDelegationsPage(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.page = new BrowserPage(session);
    }

    /** What an administrator who logged in may do here. */
    private record Admin(UserModel user, AdminPermissionEvaluator permissions) {

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
            @QueryParam("first") String first) {
        AuthResult auth = page.authenticate();
        if (auth == null) {
            return page.redirectToLogin(page.pageUri("admin"));
        }
        Admin admin = adminOf(auth);
        if (!admin.mayView()) {
            return forbidden(admin, "the delegations page");
        }
        Map<String, Object> view = view(admin, "list");
        DelegationRecords records = new DelegationRecords(session, realm);
        view.put("filter", filter(username, agent, portal, status));
        view.put(
                "delegations",
                records
                        .search(new DelegationQuery(
                                blankToNull(username) == null ? null : records.userIdOf(username.strip()),
                                blankToNull(agent),
                                blankToNull(portal),
                                statusOf(status),
                                null,
                                null,
                                offset(first),
                                PAGE))
                        .stream()
                        .map(Views::of)
                        .toList());
        return page.render(TEMPLATE, admin.user(), view, 200);
    }

    @GET
    @Path("delegations/{id}")
    @Produces(MediaType.TEXT_HTML)
    public Response show(@PathParam("id") String delegationId) {
        AuthResult auth = page.authenticate();
        if (auth == null) {
            return page.redirectToLogin(page.pageUri("admin/delegations/" + BrowserPage.encode(delegationId)));
        }
        Admin admin = adminOf(auth);
        if (!admin.mayView()) {
            return forbidden(admin, "a delegation");
        }
        return new DelegationRecords(session, realm)
                .find(delegationId)
                .map(found -> {
                    Map<String, Object> view = view(admin, "delegation");
                    view.put("record", Views.of(found));
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
            return page.redirectToLogin(page.pageUri("admin"));
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

    private Admin adminOf(AuthResult auth) {
        return new Admin(auth.user(), AdminPermissions.evaluator(session, realm, realm, auth.user()));
    }

    /** The admin event Keycloak records for an action of its admin API, with this page's administrator. */
    private AdminEventBuilder adminEvent(Admin admin) {
        AdminAuth by =
                new AdminAuth(realm, new AccessToken(), admin.user(), realm.getClientByClientId(LoginClient.CLIENT_ID));
        return new AdminEventBuilder(realm, by, session, session.getContext().getConnection())
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
        view.put("listUrl", page.pageUri("admin").toString());
        view.put("delegationUrl", page.pageUri("admin/delegations/").toString());
        view.put("revokeUrl", page.pageUri("admin/revoke").toString());
        view.put("mayManage", admin.mayManage());
        if (admin.mayManage() && "delegation".equals(kind)) {
            // Only a page with a form to post holds a nonce: a refused page writes nothing to the store.
            view.put("stateChecker", page.stateChecker());
            view.put("nonce", page.issueFormNonce(admin.user().getId()));
        }
        return view;
    }

    private static Map<String, Object> filter(String username, String agent, String portal, String status) {
        Map<String, Object> filter = new HashMap<>();
        filter.put("username", orEmpty(username));
        filter.put("agent", orEmpty(agent));
        filter.put("portal", orEmpty(portal));
        filter.put(
                "status",
                statusOf(status) == null ? "" : statusOf(status).name().toLowerCase(Locale.ROOT));
        filter.put(
                "statuses",
                java.util.Arrays.stream(DelegationStatus.values())
                        .map(known -> known.name().toLowerCase(Locale.ROOT))
                        .toList());
        return filter;
    }

    private static DelegationStatus statusOf(String status) {
        return DelegationStatus.parse(status).orElse(null);
    }

    private static int offset(String first) {
        try {
            return first == null ? 0 : Math.max(0, Math.min(100_000, Integer.parseInt(first)));
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
