package dev.proxyme.pages;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

import dev.proxyme.ProxymeException;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.consent.RouteWords;
import dev.proxyme.model.Actor;
import dev.proxyme.model.AuditRecord;
import dev.proxyme.representation.UserDelegation;
import dev.proxyme.representation.Views;
import dev.proxyme.selfservice.MyDelegations;

/**
 * "My delegations" at {@code /realms/{realm}/proxyme/delegations}: the user's active delegations and those ended in
 * the last 30 days, with buttons to revoke one, all to an agent, or everything. Every POST proves it came from this
 * page (see {@link BrowserPage}) and consumes a one-time nonce bound to the user.
 */
public class MyDelegationsPage {

    static final String TEMPLATE = "proxyme-delegations.ftl";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final BrowserPage page;

    public MyDelegationsPage(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.page = new BrowserPage(session);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response show() {
        AuthResult auth = page.authenticate();
        if (auth == null) {
            return page.redirectToLogin(page.pageUri("delegations"));
        }
        return render(auth.user(), null, 200);
    }

    /** What the agent did under one delegation: counts per route and the latest requests, 50 a page. */
    @GET
    @Path("{id}/activity")
    @Produces(MediaType.TEXT_HTML)
    public Response activity(@PathParam("id") String delegationId, @QueryParam("page") String pageNumber) {
        AuthResult auth = page.authenticate();
        if (auth == null) {
            return page.redirectToLogin(page.pageUri("delegations"));
        }
        int number = 0;
        try {
            number = pageNumber == null ? 0 : Math.max(0, Math.min(10_000, Integer.parseInt(pageNumber)));
        } catch (NumberFormatException notANumber) {
            // the first page
        }
        Map<String, Object> view = new HashMap<>();
        view.put("view", "activity");
        try {
            view.put(
                    "activity",
                    Views.of(new MyDelegations(session, realm, auth.user())
                            .activity(delegationId, null, null, number * ACTIVITY_PAGE, ACTIVITY_PAGE)));
        } catch (ProxymeException unknown) {
            return render(auth.user(), "proxymeRevokedNone", unknown.status());
        }
        view.put("page", number);
        view.put("backUrl", page.pageUri("delegations").toString());
        view.put(
                "pageUrl",
                page.pageUri("delegations/" + BrowserPage.encode(delegationId) + "/activity")
                        .toString());
        return page.render(TEMPLATE, auth.user(), view, 200);
    }

    private static final int ACTIVITY_PAGE = 50;

    @POST
    @Path("revoke")
    @Produces(MediaType.TEXT_HTML)
    public Response revoke() {
        AuthResult auth = page.authenticate();
        if (auth == null) {
            return page.redirectToLogin(page.pageUri("delegations"));
        }
        UserModel user = auth.user();
        MultivaluedMap<String, String> form = page.form();
        String forgery = page.forgeryOf(form);
        if (forgery == null && !page.consumeFormNonce(form.getFirst("nonce"), user.getId())) {
            forgery = "replayed or forged";
        }
        if (forgery != null) {
            new AuditLog(session, realm)
                    .recordRefusal(
                            EventType.REVOKE_GRANT,
                            AuditRecord.refusal(
                                            Actor.user(user.getId()),
                                            OAuthErrorException.ACCESS_DENIED,
                                            "revoke form " + forgery)
                                    .user(user.getId()));
            return render(user, "proxymeRevokeRefused", 403);
        }
        MyDelegations mine = new MyDelegations(session, realm, user);
        String delegationId = form.getFirst("delegation_id");
        try {
            int count;
            if (delegationId != null) {
                if (!mine.revoke(delegationId)) {
                    return render(user, "proxymeRevokedAlready", 200);
                }
                count = 1;
            } else if ("true".equals(form.getFirst("all"))) {
                count = mine.revokeAll(null);
            } else {
                count = mine.revokeAll(form.getFirst("agent_id") == null ? "" : form.getFirst("agent_id"));
            }
            return render(user, count == 0 ? "proxymeRevokedNone" : "proxymeRevokedDone", 200);
        } catch (ProxymeException refused) {
            // Only an unknown delegation is "nothing to revoke"; anything else is shown as the refusal it is.
            return render(
                    user, refused.status() == 404 ? "proxymeRevokedNone" : "proxymeRevokeRefused", refused.status());
        }
    }

    private Response render(UserModel user, String message, int status) {
        Map<String, Object> view = new HashMap<>();
        view.put("view", "delegations");
        MyDelegations.Listing listing = new MyDelegations(session, realm, user).list();
        view.put("delegations", Views.of(listing));
        view.put("routeWords", routeWords(listing));
        view.put("revokeUrl", page.pageUri("delegations/revoke").toString());
        view.put("activityUrl", page.pageUri("delegations/").toString());
        view.put("stateChecker", page.stateChecker());
        view.put("nonce", page.issueFormNonce(user.getId()));
        if (message != null) {
            view.put("message", message);
        }
        return page.render(TEMPLATE, user, view, status);
    }

    /** The routes of the active delegations' envelopes in plain words, by portal and route. */
    private Map<String, Map<String, Map<String, Object>>> routeWords(MyDelegations.Listing listing) {
        Map<String, List<String>> routesByPortal = new HashMap<>();
        for (UserDelegation delegation : listing.active()) {
            if (delegation.envelope() != null && delegation.envelope().get("routes") instanceof List<?> routes) {
                List<String> ofPortal =
                        routesByPortal.computeIfAbsent(delegation.portal(), portal -> new ArrayList<>());
                routes.forEach(route -> ofPortal.add(String.valueOf(route)));
            }
        }
        Map<String, Map<String, Map<String, Object>>> words = new HashMap<>();
        routesByPortal.forEach(
                (portal, routes) -> words.put(portal, RouteWords.byRoute(realm.getClientByClientId(portal), routes)));
        return words;
    }
}
