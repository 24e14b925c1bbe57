<#-- Proxyme's consent pages, in the realm's login theme. Element ids are stable: tests and custom themes rely on them.
     proxyme.view is one of: code (enter a user code), consent, wrong-user, result. The consent view serves Proxyme's own
     requests (with userCode) and agents' authorization code and device flows (with returnTo: host, loopback, device). -->
<#-- Times are written in UTC whatever the server's own zone; the page's script puts them in the reader's. -->
<#setting time_zone="UTC">
<#import "template.ftl" as layout>
<#import "proxyme-common.ftl" as common>
<#-- The document's title says what the page is (the layout prints the global "title"; Keycloak's is "Sign in to …"). -->
<#if proxyme.view = "consent">
    <#global title = common.say("proxymeConsentTitle", proxyme.agentName) + " · " + (realm.displayName!realm.name)>
<#elseif proxyme.view = "code">
    <#global title = msg("proxymeCodeTitle") + " · " + (realm.displayName!realm.name)>
<#else>
    <#global title = msg("proxymeAgentAccess") + " · " + (realm.displayName!realm.name)>
</#if>
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        <#if proxyme.view = "consent">
            <span id="proxyme-title">${common.say("proxymeConsentTitle", proxyme.agentName)}</span>
        <#elseif proxyme.view = "code">
            <span id="proxyme-title">${msg("proxymeCodeTitle")}</span>
        <#else>
            <span id="proxyme-title">${msg("proxymeAgentAccess")}</span>
        </#if>
    <#elseif section = "form">
        <style>
            #proxyme-page h2 { font-weight: 600; font-size: 1rem; margin: 1.25rem 0 0.5rem; }
            #proxyme-parties, #proxyme-revoke-hint { color: #6a6e73; font-size: 0.875rem; }
            #proxyme-parties { margin-top: 0.25rem; }
            #proxyme-scopes { margin: 0; list-style: none; padding: 0; }
            #proxyme-scopes li { margin: 0.25rem 0; }
            #proxyme-purpose { margin: 0; padding: 0.75rem 1rem; border-left: 3px solid #0066cc; background: #f5f5f5;
                               white-space: pre-wrap; overflow-wrap: anywhere; }
            #proxyme-duration { margin-top: 1rem; }
            #proxyme-revoke-hint, #proxyme-return-to { margin-top: 0.75rem; }
            #proxyme-return-to strong { font-weight: 600; }
            #proxyme-consent-form { margin-top: 1.5rem; }
            #proxyme-consent-form button + button { margin-top: 0.5rem; }
            #proxyme-not-verified { border-left: 4px solid #c9190b; padding-left: 0.75rem; }
            .proxyme-new-badge { color: #0066cc; font-size: 0.75rem; text-transform: uppercase; margin-left: 0.5rem; }
            #proxyme-envelope { margin: 1rem 0; border: 1px solid #d2d2d2; border-radius: 4px; padding: 0.5rem 0.75rem; }
            #proxyme-envelope > summary { cursor: pointer; font-weight: 600; padding: 0.25rem 0; }
            #proxyme-envelope[open] > summary { margin-bottom: 0.75rem; }
            #proxyme-envelope-summary { color: #151515; }
            #proxyme-envelope-routes { border: 0; padding: 0; margin: 0.75rem 0; }
            #proxyme-envelope-routes legend { font-weight: 600; font-size: 0.875rem; padding: 0; margin-bottom: 0.25rem; }
            .proxyme-envelope-route { margin: 0.35rem 0; }
            #proxyme-result-summary { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 0.75rem; margin: 1rem 0; }
            #proxyme-result-summary dt { color: #4f5255; }
            .proxyme-result-scopes { margin: 0; padding-left: 1.1rem; }
            .proxyme-route-pattern { display: block; color: #4f5255; font-size: 0.8125rem; overflow-wrap: anywhere; }
        </style>
        <div id="proxyme-page" class="proxyme-${proxyme.view}">
        <#if proxyme.view = "consent">
            <#if proxyme.changedMeanwhile!false>
                <p id="proxyme-changed" class="${properties.kcAlertClass!} pf-m-warning" role="alert"><span class="${properties.kcAlertTitleClass!}">${msg("proxymeConsentChanged")}</span></p>
            </#if>
            <p id="proxyme-request">${common.say("proxymeConsentRequest", proxyme.agentName, proxyme.portalName)}</p>
            <p id="proxyme-parties" class="${properties.kcLabelClass!}">
                ${common.say("proxymeConsentParties", proxyme.agentClientId, proxyme.portalClientId)}
            </p>
            <#if proxyme.signedInAs??>
                <p id="proxyme-signed-in-as">${common.say("proxymeSignedInAs", proxyme.signedInAs)}<#if proxyme.switchAccountUrl??> · <a id="proxyme-not-you" href="${proxyme.switchAccountUrl}">${msg("proxymeNotYou")}</a></#if></p>
            </#if>
            <#if proxyme.notVerified!false>
                <p id="proxyme-not-verified" role="note"><strong>${msg("proxymeConsentNotVerifiedLabel")}</strong> ${common.say("proxymeConsentNotVerified", proxyme.agentName)}</p>
            </#if>
            <#if proxyme.vouchedBy??>
                <p id="proxyme-vouched-by">${common.say("proxymeConsentVouchedBy", proxyme.vouchedBy)}</p>
            </#if>
            <h2 id="proxyme-scopes-title">${msg(proxyme.stepUp?then("proxymeConsentScopesStepUp", "proxymeConsentScopes"))}</h2>
            <ul id="proxyme-scopes" class="${properties.kcListClass!}" aria-describedby="proxyme-scopes-hint">
                <#list proxyme.scopes as scope>
                    <li id="proxyme-scope-${scope.name}" class="proxyme-scope<#if scope.isNew> proxyme-scope-new</#if> ${properties.kcCheckboxClass!}">
                        <input id="proxyme-scope-check-${scope.name}" class="${properties.kcCheckboxInputClass!}" type="checkbox"
                               name="scope" value="${scope.name}" form="proxyme-consent-form" checked>
                        <label for="proxyme-scope-check-${scope.name}" class="${properties.kcCheckboxLabelClass!}">${advancedMsg(scope.text)}<#if proxyme.stepUp && scope.isNew> <strong class="proxyme-new-badge">${msg("proxymeConsentNew")}</strong></#if></label>
                    </li>
                </#list>
            </ul>
            <p id="proxyme-scopes-hint" class="${properties.kcLabelClass!}">${msg("proxymeConsentScopesHint")}</p>
            <#if proxyme.purpose??>
                <h2>${msg("proxymeConsentPurpose")}</h2>
                <blockquote id="proxyme-purpose">${proxyme.purpose}</blockquote>
            </#if>
            <p id="proxyme-duration">
                <#if proxyme.durationInHours>
                    ${msg("proxymeConsentDurationHours", proxyme.durationHours)}
                <#else>
                    ${msg("proxymeConsentDurationMinutes", proxyme.durationMinutes)}
                </#if>
                ${msg("proxymeConsentTokens", proxyme.tokenMinutes)}
            </p>
            <#if proxyme.returnTo??>
                <#if proxyme.returnTo = "device">
                    <p id="proxyme-return-to" class="proxyme-return-device">${msg("proxymeConsentReturnDevice")}</p>
                <#elseif proxyme.returnTo = "loopback">
                    <p id="proxyme-return-to" class="proxyme-return-loopback">${common.say("proxymeConsentReturnLoopback", proxyme.redirectHost)}</p>
                <#else>
                    <p id="proxyme-return-to" class="proxyme-return-host">${common.say("proxymeConsentReturnHost", proxyme.redirectHost)}</p>
                </#if>
            </#if>
            <p id="proxyme-revoke-hint">${msg("proxymeConsentRevokeHint")}</p>
            <form id="proxyme-consent-form" class="${properties.kcFormClass!}" action="${proxyme.decisionUrl}" method="post">
                <#-- Folded until used: open when the agent proposed limits or the current access has some. -->
                <details id="proxyme-envelope"<#if proxyme.envelope.open> open</#if>>
                    <summary id="proxyme-envelope-summary"><span id="proxyme-envelope-title" class="proxyme-envelope-title">${msg("proxymeEnvelopeTitle")}</span> · ${msg("proxymeEnvelopeSummary")}</summary>
                    <#if proxyme.envelope.conflict??>
                        <p id="proxyme-envelope-conflict" class="${properties.kcAlertClass!} pf-m-danger" role="alert"><span class="${properties.kcAlertTitleClass!}">${msg("proxymeEnvelopeConflict")}</span></p>
                    </#if>
                    <#if proxyme.envelope.kept??>
                        <p id="proxyme-envelope-kept">${msg("proxymeEnvelopeKept")}</p>
                    <#elseif proxyme.envelope.replaces??>
                        <p id="proxyme-envelope-replaces">${msg("proxymeEnvelopeReplaces")}</p>
                    </#if>
                    <#if proxyme.envelope.previousBudget??>
                        <p id="proxyme-envelope-used">${msg("proxymeEnvelopeUsed", proxyme.envelope.previousUsed, proxyme.envelope.previousBudget)}</p>
                    </#if>
                    <#if proxyme.envelope.budget?? && proxyme.envelope.budget == 0>
                        <p id="proxyme-envelope-used-up">${msg("proxymeEnvelopeUsedUp")}</p>
                    <#else>
                    <div class="${properties.kcFormGroupClass!}">
                        <label for="proxyme-envelope-budget" class="${properties.kcFormLabelClass!}"><span class="${properties.kcFormLabelTextClass!}">${msg((proxyme.envelope.budget??)?then("proxymeEnvelopeBudget", "proxymeEnvelopeBudgetOptional"))}</span></label>
                        <span class="${properties.kcInputClass!}">
                            <input id="proxyme-envelope-budget" name="envelope_budget" type="number" min="1" inputmode="numeric"
                                   <#if proxyme.envelope.budget??>max="${proxyme.envelope.budget?c}" value="${proxyme.envelope.budget?c}" required</#if>>
                        </span>
                    </div>
                    </#if>
                    <#if proxyme.envelope.routes?has_content>
                        <fieldset id="proxyme-envelope-routes" class="${properties.kcFormGroupClass!}">
                            <legend class="${properties.kcFormLabelClass!}">${msg("proxymeEnvelopeRoutes")}</legend>
                            <#list proxyme.envelope.routes as route>
                                <div class="${properties.kcCheckboxClass!} proxyme-envelope-route">
                                    <input id="proxyme-envelope-route-${route?index}" class="${properties.kcCheckboxInputClass!}" type="checkbox"
                                           name="envelope_route" value="${route.pattern}" checked>
                                    <label for="proxyme-envelope-route-${route?index}" class="${properties.kcCheckboxLabelClass!}"><@common.route r=route id="proxyme-envelope-route-words-${route?index}"/></label>
                                </div>
                            </#list>
                        </fieldset>
                    </#if>
                    <div class="${properties.kcFormGroupClass!}">
                        <label for="proxyme-envelope-minutes" class="${properties.kcFormLabelClass!}"><span class="${properties.kcFormLabelTextClass!}">${msg((proxyme.envelope.minutesLeft??)?then("proxymeEnvelopeMinutes", "proxymeEnvelopeMinutesOptional"))}</span></label>
                        <span class="${properties.kcInputClass!}">
                            <input id="proxyme-envelope-minutes" name="envelope_minutes" type="number" min="1" inputmode="numeric"
                                   <#if proxyme.envelope.minutesLeft??>max="${proxyme.envelope.minutesLeft?c}"</#if>>
                        </span>
                    </div>
                    <#if proxyme.envelope.notBefore?? && proxyme.envelope.notAfter??>
                        <p id="proxyme-envelope-window"><@common.timedMessage key="proxymeEnvelopeWindow" times=[proxyme.envelope.notBefore, proxyme.envelope.notAfter]/></p>
                    <#elseif proxyme.envelope.notAfter??>
                        <p id="proxyme-envelope-window"><@common.timedMessage key="proxymeEnvelopeUntil" times=[proxyme.envelope.notAfter]/></p>
                    <#elseif proxyme.envelope.notBefore??>
                        <p id="proxyme-envelope-window"><@common.timedMessage key="proxymeEnvelopeFrom" times=[proxyme.envelope.notBefore]/></p>
                    </#if>
                </details>
                <input type="hidden" name="scope_choice" value="1">
                <#if proxyme.userCode??>
                    <input type="hidden" name="user_code" value="${proxyme.userCode}">
                    <input type="hidden" name="nonce" value="${proxyme.nonce}">
                    <input type="hidden" name="state_checker" value="${proxyme.stateChecker}">
                </#if>
                <div class="${properties.kcFormGroupClass!}">
                    <button id="proxyme-approve" type="submit" name="decision" value="approve"
                            class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("proxymeApprove")}</button>
                    <button id="proxyme-deny" type="submit" name="decision" value="deny"
                            class="${properties.kcButtonClass!} ${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}">${msg("proxymeDeny")}</button>
                </div>
            </form>
        <#elseif proxyme.view = "code">
            <form id="proxyme-code-form" class="${properties.kcFormClass!}" action="${proxyme.codeUrl}" method="post">
                <input type="hidden" name="state_checker" value="${proxyme.stateChecker}">
                <div class="${properties.kcFormGroupClass!}">
                    <label for="proxyme-user-code" class="${properties.kcFormLabelClass!}"><span class="${properties.kcFormLabelTextClass!}">${msg("proxymeCodeLabel")}</span></label>
                    <span class="${properties.kcInputClass!}<#if proxyme.error??> ${properties.kcError!}</#if>">
                        <input id="proxyme-user-code" name="user_code" type="text" autocomplete="off" autofocus placeholder="BCDF-GHJK"
                               <#if proxyme.error??>aria-invalid="true" aria-describedby="proxyme-code-error"</#if>>
                        <#if proxyme.error??>
                            <span class="${properties.kcFormControlUtilClass!}"><span class="${properties.kcInputErrorIconStatusClass!}"><i class="${properties.kcInputErrorIconClass!}" aria-hidden="true"></i></span></span>
                        </#if>
                    </span>
                    <#if proxyme.error??>
                        <div class="${properties.kcFormHelperTextClass!}" aria-live="polite">
                            <div class="${properties.kcInputHelperTextClass!}">
                                <div class="${properties.kcInputHelperTextItemClass!} ${properties.kcError!}">
                                    <span id="proxyme-code-error" class="${properties.kcInputErrorMessageClass!}">${msg(proxyme.error)}</span>
                                </div>
                            </div>
                        </div>
                    </#if>
                </div>
                <div class="${properties.kcFormGroupClass!}">
                    <button id="proxyme-code-submit" type="submit"
                            class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("proxymeCodeSubmit")}</button>
                </div>
            </form>
        <#elseif proxyme.view = "wrong-user">
            <p id="proxyme-wrong-user">${common.say("proxymeWrongUser", proxyme.username)}</p>
            <a id="proxyme-switch-account" href="${proxyme.switchAccountUrl}"
               class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("proxymeSwitchAccount")}</a>
        <#else>
            <p id="proxyme-result" class="proxyme-result-${proxyme.outcome}" role="status">${msg(proxyme.message)}</p>
            <#if proxyme.summary??>
                <dl id="proxyme-result-summary">
                    <dt>${msg("proxymeSummaryAgent")}</dt><dd id="proxyme-result-agent">${proxyme.summary.agentName}</dd>
                    <dt>${msg("proxymeSummaryPortal")}</dt><dd id="proxyme-result-portal">${proxyme.summary.portalName}</dd>
                    <#if proxyme.summary.scopes?has_content>
                        <dt>${msg("proxymeFieldScopes")}</dt>
                        <dd><ul id="proxyme-result-scopes" class="proxyme-result-scopes"><#list proxyme.summary.scopes as text><li>${advancedMsg(text)}</li></#list></ul></dd>
                    </#if>
                    <#if proxyme.summary.until??>
                        <dt>${msg("proxymeFieldEnds")}</dt><dd id="proxyme-result-until"><@common.time millis=proxyme.summary.until/></dd>
                    </#if>
                </dl>
            </#if>
            <#if proxyme.manageUrl??>
                <p><a id="proxyme-manage-access" href="${proxyme.manageUrl}">${msg("proxymeManageAccess")}</a></p>
            </#if>
        </#if>
        </div>
        <@common.localTimes/>
    </#if>
</@layout.registrationLayout>
