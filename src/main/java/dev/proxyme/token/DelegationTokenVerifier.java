package dev.proxyme.token;

import java.util.Optional;

import org.jboss.logging.Logger;

import org.keycloak.TokenVerifier;
import org.keycloak.common.VerificationException;
import org.keycloak.common.util.Time;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.Urls;
import org.keycloak.util.TokenUtil;

import dev.proxyme.clients.Agent;
import dev.proxyme.clients.AgentTerms;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.Scopes;
import dev.proxyme.sessions.AgentClientSession;
import dev.proxyme.store.DelegationProvider;

/**
 * Verifies a delegation token locally, with the checks of Keycloak's standard introspection (signature by a realm
 * key, issuer, expiry, realm and client not-before, revoked-token store, agent enabled, user enabled and not-before)
 * plus Proxyme's own: the token was minted under Proxyme's grant and its delegation is still active.
 */
public class DelegationTokenVerifier {

    private static final Logger logger = Logger.getLogger(DelegationTokenVerifier.class);

    private final KeycloakSession session;
    private final RealmModel realm;

    public DelegationTokenVerifier(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** A token that passed every check, with what it was checked against. */
    public record VerifiedToken(AccessToken token, Delegation delegation, UserModel user, ClientModel agent) {}

    /** The delegation token if it is valid right now; empty otherwise (the reason is logged at debug, never the token). */
    public Optional<VerifiedToken> verify(String encoded) {
        return signedDelegationToken(encoded, true).flatMap(this::checkParties);
    }

    /**
     * The delegation a genuine, unexpired token of this realm names, whether or not it has been revoked since: enough
     * to prove the presenter holds a token of that delegation.
     */
    public Optional<String> delegationIdOfGenuineToken(String encoded) {
        return signedDelegationToken(encoded, false).flatMap(token -> DelegationTokenId.delegationIdOf(token.getId()));
    }

    private Optional<AccessToken> signedDelegationToken(String encoded, boolean checkRevocation) {
        if (encoded == null || encoded.isEmpty()) {
            return Optional.empty();
        }
        try {
            TokenVerifier<AccessToken> verifier = TokenVerifier.create(encoded, AccessToken.class)
                    .withDefaultChecks()
                    // RFC 9449: a DPoP-bound token is typed DPoP; the proxy check verifies its proof.
                    .tokenType(java.util.List.of(TokenUtil.TOKEN_TYPE_BEARER, TokenUtil.TOKEN_TYPE_DPOP))
                    .realmUrl(Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
            String algorithm = verifier.getHeader().getRawAlgorithm();
            // Only algorithms the realm signs with have a provider: "none" and unknown names have none.
            SignatureProvider signatureProvider =
                    algorithm == null ? null : session.getProvider(SignatureProvider.class, algorithm);
            if (signatureProvider == null || !signatureProvider.isAsymmetricAlgorithm()) {
                logger.debugf("Delegation token refused: algorithm %s is not accepted", algorithm);
                return Optional.empty();
            }
            verifier.verifierContext(
                    signatureProvider.verifier(verifier.getHeader().getKeyId()));
            verifier.withChecks(TokenManager.NotBeforeCheck.forModel(realm));
            if (checkRevocation) {
                verifier.withChecks(new TokenManager.TokenRevocationCheck(session));
            }
            AccessToken token = verifier.verify().getToken();
            if (DelegationTokenId.delegationIdOf(token.getId()).isEmpty()) {
                logger.debug("Delegation token refused: not minted under the Proxyme grant");
                return Optional.empty();
            }
            return Optional.of(token);
        } catch (VerificationException | RuntimeException e) {
            logger.debugf("Delegation token refused: %s", e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<VerifiedToken> checkParties(AccessToken token) {
        ClientModel agentClient = realm.getClientByClientId(token.getIssuedFor());
        // The proxy check runs this on every request: only the agent marker and state, not its whole registration.
        if (!Agent.isAgent(agentClient)
                || !agentClient.isEnabled()
                || !passes(token, TokenManager.NotBeforeCheck.forModel(agentClient))) {
            logger.debug("Delegation token refused: agent unknown or disabled");
            return Optional.empty();
        }
        UserModel user = session.users().getUserById(realm, token.getSubject());
        if (!TokenManager.isUserValid(session, realm, token, user)) {
            logger.debug("Delegation token refused: user unknown or disabled");
            return Optional.empty();
        }
        Optional<Delegation> delegation = activeDelegationOf(session, realm, token);
        if (delegation.isEmpty()) {
            logger.debug("Delegation token refused: delegation unknown or ended");
            return Optional.empty();
        }
        return Optional.of(new VerifiedToken(token, delegation.get(), user, agentClient));
    }

    /**
     * The delegation a token names, if it exists, is active right now, and was granted by the token's user ({@code sub})
     * to its agent ({@code azp}): the check every path that accepts a delegation token makes against the database.
     */
    public static Optional<Delegation> activeDelegationOf(
            KeycloakSession session, RealmModel realm, AccessToken token) {
        return DelegationTokenId.delegationIdOf(token.getId())
                .flatMap(delegationId ->
                        session.getProvider(DelegationProvider.class).find(realm, delegationId))
                .filter(delegation -> delegation.isActiveAt(Time.currentTimeMillis()))
                .filter(delegation -> delegation.userId().equals(token.getSubject())
                        && delegation.agentClientId().equals(token.getIssuedFor()))
                .filter(delegation -> AgentTerms.stillCovers(
                        realm,
                        realm.getClientByClientId(delegation.agentClientId()),
                        delegation.portalClientId(),
                        Scopes.parse(token.getScope())))
                .filter(delegation -> isInTheRightSession(session, realm, delegation, token))
                .filter(delegation -> isBoundAsItsDelegation(delegation, token));
    }

    /**
     * A delegation bound to a DPoP key accepts only tokens bound to that key (RFC 9449 section 6): tokens issued before
     * the binding, or by a renewal that raced it without a proof, end with the binding.
     */
    private static boolean isBoundAsItsDelegation(Delegation delegation, AccessToken token) {
        if (delegation.dpopJkt() == null) {
            return true;
        }
        AccessToken.Confirmation confirmation = token.getConfirmation();
        return confirmation != null && delegation.dpopJkt().equals(confirmation.getKeyThumbprint());
    }

    /**
     * A standard flow's token names its login session ({@code sid}), the session its delegation was approved in, and
     * is good while the delegation holds the agent's client session there; any other token names no session and
     * belongs to a delegation of the JSON operations. Introspection and the proxy check ask alike.
     */
    private static boolean isInTheRightSession(
            KeycloakSession session, RealmModel realm, Delegation delegation, AccessToken token) {
        if (token.getSessionId() == null) {
            return !delegation.isOfStandardFlow();
        }
        return delegation.isOfStandardFlow()
                && token.getSessionId().equals(delegation.grantedSessionId())
                && AgentClientSession.isHeld(session, realm, delegation);
    }

    private static boolean passes(AccessToken token, TokenVerifier.Predicate<? super AccessToken> check) {
        try {
            return check.test(token);
        } catch (VerificationException e) {
            return false;
        }
    }
}
