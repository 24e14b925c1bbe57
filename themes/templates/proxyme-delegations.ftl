<#-- "My delegations": the user's active delegations and those ended in the last 30 days. Element ids are stable:
     tests and custom themes rely on them. -->
<#-- Times are written in UTC whatever the server's own zone; the page's script puts them in the reader's. -->
<#setting time_zone="UTC">
<#import "template.ftl" as layout>
<#import "proxyme-common.ftl" as common>
<#global title = msg("proxymeMyDelegationsTitle") + " · " + (realm.displayName!realm.name)>
<#-- Whether anyone vouches for the agent's name: a self-registered agent's is its own claim, a document's its host's. -->
<#macro agentStanding d>
    <#if d.agent_not_verified??> <span id="proxyme-not-verified-${d.id}" class="proxyme-not-verified">${msg("proxymeNotVerifiedBadge")}</span> <span class="proxyme-agent-id">(${d.agent_id})</span></#if>
    <#if d.agent_vouched_by??> <span id="proxyme-vouched-by-${d.id}" class="proxyme-vouched-by">${common.say("proxymeNamedByDocument", d.agent_vouched_by)}</span></#if>
</#macro>
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        <span id="proxyme-title">${msg("proxymeMyDelegationsTitle")}</span>
    <#elseif section = "form">
        <style>
            #proxyme-page h2 { font-weight: 600; font-size: 1rem; margin: 1.25rem 0 0.5rem; }
            .proxyme-not-verified { color: #c9190b; font-weight: 600; }
            .proxyme-delegation { border: 1px solid #d2d2d2; border-radius: 4px; padding: 0.75rem 1rem; margin-bottom: 0.75rem; }
            .proxyme-delegation dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 0.75rem; margin: 0.5rem 0; font-size: 0.875rem; }
            .proxyme-delegation dt { color: #6a6e73; }
            .proxyme-delegation form { display: inline-block; margin: 0.25rem 0.5rem 0 0; }
            #proxyme-message { padding: 0.5rem 0.75rem; background: #f3faf2; border-left: 3px solid #3e8635; }
            #proxyme-empty, #proxyme-ended-empty { color: #6a6e73; }
            .proxyme-activity-link { float: right; font-size: 0.875rem; }
            .proxyme-activity-table { width: 100%; font-size: 0.875rem; border-collapse: collapse; }
            .proxyme-activity-table td { padding: 0.2rem 0.4rem; border-bottom: 1px solid #eee; overflow-wrap: anywhere; }
            .proxyme-refused td { color: #a30000; }
            .proxyme-activity-table th { text-align: left; border-bottom: 2px solid #d2d2d2; padding: 0.2rem 0.4rem; }
            .proxyme-refusal-detail, .proxyme-route-pattern { display: block; color: #4f5255; font-size: 0.8125rem; overflow-wrap: anywhere; }
            .proxyme-route-list { margin: 0; padding: 0; list-style: none; }
        </style>
        <#if proxyme.view = "activity">
        <div id="proxyme-page" class="proxyme-activity">
            <p><a id="proxyme-back" href="${proxyme.backUrl}">${msg("proxymeActivityBack")}</a></p>
            <h2>${msg("proxymeActivityCounts")}</h2>
            <#if proxyme.activity.counts?has_content>
            <table id="proxyme-activity-counts" class="proxyme-activity-table">
                <thead><tr><th scope="col">${msg("proxymeActivityWhat")}</th><th scope="col">${msg("proxymeActivityOutcome")}</th><th scope="col">${msg("proxymeActivityTimes")}</th></tr></thead>
                <tbody>
                <#list proxyme.activity.counts as c>
                    <tr class="proxyme-count proxyme-${c.decision}"><td><code>${c.method} ${c.path}</code></td><td>${msg("proxymeActivity_" + c.decision)}</td><td class="proxyme-count-value">${c.count?c}</td></tr>
                </#list>
                </tbody>
            </table>
            <#else>
            <p id="proxyme-activity-none">${msg("proxymeActivityNone")}</p>
            </#if>
            <h2>${msg("proxymeActivityLatest")}</h2>
            <#if proxyme.activity.entries?has_content>
            <table id="proxyme-activity-entries" class="proxyme-activity-table">
                <thead><tr><th scope="col">${msg("proxymeActivityWhen")}</th><th scope="col">${msg("proxymeActivityWhat")}</th><th scope="col">${msg("proxymeActivityOutcome")}</th></tr></thead>
                <tbody>
                <#list proxyme.activity.entries as e>
                    <tr class="proxyme-entry proxyme-${e.decision}"><td><@common.time millis=e.time seconds=true/></td><td><code>${e.method} ${e.path}</code></td><td>${msg("proxymeActivity_" + e.decision)}<#if e.count gt 1> ×${e.count?c}</#if><#if e.reason??><div class="proxyme-refusal"><@common.refusal reason=e.reason/></div></#if></td></tr>
                </#list>
                </tbody>
            </table>
            </#if>
            <p>
                <#if proxyme.page gt 0><a id="proxyme-activity-newer" href="${proxyme.pageUrl}?page=${(proxyme.page - 1)?c}">${msg("proxymeActivityNewer")}</a></#if>
                <#if proxyme.activity.entries?size == proxyme.activity.max><a id="proxyme-activity-older" href="${proxyme.pageUrl}?page=${(proxyme.page + 1)?c}">${msg("proxymeActivityOlder")}</a></#if>
            </p>
        </div>
        <#else>
        <div id="proxyme-page" class="proxyme-delegations">
            <#if proxyme.message??>
                <p id="proxyme-message">${msg(proxyme.message)}</p>
            </#if>
            <p>${common.say("proxymeMyDelegationsIntro", proxyme.username)}</p>
            <h2>${msg("proxymeMyDelegationsActive")}</h2>
            <div id="proxyme-active">
                <#list proxyme.delegations.active as d>
                    <div id="proxyme-delegation-${d.id}" class="proxyme-delegation">
                        <strong>${d.agent_name}</strong><@agentStanding d/> → ${d.portal_name}
                        <a id="proxyme-activity-link-${d.id}" class="proxyme-activity-link" href="${proxyme.activityUrl}${d.id}/activity">${msg("proxymeActivityLink")}</a>
                        <dl>
                            <dt>${msg("proxymeFieldScopes")}</dt><dd class="proxyme-scopes">${d.scopes?join(", ")}</dd>
                            <#if d.purpose??><dt>${msg("proxymeFieldPurpose")}</dt><dd class="proxyme-purpose">${d.purpose}</dd></#if>
                            <dt>${msg("proxymeFieldGranted")}</dt><dd><@common.time millis=d.granted_at/></dd>
                            <dt>${msg("proxymeFieldEnds")}</dt><dd><@common.time millis=d.expires_at/></dd>
                            <dt>${msg("proxymeFieldTokens")}</dt><dd class="proxyme-tokens">${d.tokens_issued}</dd>
                            <dt>${msg("proxymeFieldLastUsed")}</dt><dd><#if d.last_used_at??><@common.time millis=d.last_used_at/><#else>${msg("proxymeNever")}</#if></dd>
                            <#if (d.envelope.budget)??>
                                <dt>${msg("proxymeFieldCalls")}</dt><dd id="proxyme-envelope-${d.id}" class="proxyme-envelope-count">${msg("proxymeEnvelopeCount", d.envelope.used, d.envelope.budget)}</dd>
                            </#if>
                            <#if (d.envelope.routes)??>
                                <dt>${msg("proxymeFieldRoutes")}</dt><dd class="proxyme-envelope-routes"><ul class="proxyme-route-list"><#list d.envelope.routes as route><li><@common.route r=proxyme.routeWords[d.portal][route]/></li></#list></ul></dd>
                            </#if>
                            <#if (d.envelope.not_after)??>
                                <dt>${msg("proxymeFieldWindowEnds")}</dt><dd class="proxyme-envelope-window"><@common.time millis=d.envelope.not_after * 1000/></dd>
                            </#if>
                        </dl>
                        <form action="${proxyme.revokeUrl}" method="post">
                            <input type="hidden" name="state_checker" value="${proxyme.stateChecker}">
                            <input type="hidden" name="nonce" value="${proxyme.nonce}">
                            <input type="hidden" name="delegation_id" value="${d.id}">
                            <button id="proxyme-revoke-${d.id}" type="submit" class="${properties.kcButtonClass!} ${properties.kcButtonSecondaryClass!}" aria-label="${common.say("proxymeRevokeOneLabel", d.agent_name, d.portal_name)}">${msg("proxymeRevoke")}</button>
                        </form>
                        <form action="${proxyme.revokeUrl}" method="post">
                            <input type="hidden" name="state_checker" value="${proxyme.stateChecker}">
                            <input type="hidden" name="nonce" value="${proxyme.nonce}">
                            <input type="hidden" name="agent_id" value="${d.agent_id}">
                            <button id="proxyme-revoke-agent-${d.id}" type="submit" class="${properties.kcButtonClass!} ${properties.kcButtonSecondaryClass!}">${common.say("proxymeRevokeAgent", d.agent_name)}</button>
                        </form>
                    </div>
                <#else>
                    <p id="proxyme-empty">${msg("proxymeMyDelegationsNone")}</p>
                </#list>
            </div>
            <#if proxyme.delegations.active?has_content>
                <#-- Everything at once asks first: the button is behind a disclosure that says what it ends. -->
                <details id="proxyme-revoke-all-confirm">
                    <summary id="proxyme-revoke-all-open" class="${properties.kcButtonClass!} ${properties.kcButtonSecondaryClass!}">${msg("proxymeRevokeAll")}</summary>
                    <p id="proxyme-revoke-all-warning">${msg("proxymeRevokeAllWarning", proxyme.delegations.active?size)}</p>
                    <form action="${proxyme.revokeUrl}" method="post">
                        <input type="hidden" name="state_checker" value="${proxyme.stateChecker}">
                        <input type="hidden" name="nonce" value="${proxyme.nonce}">
                        <input type="hidden" name="all" value="true">
                        <button id="proxyme-revoke-all" type="submit" class="${properties.kcButtonClass!} ${properties.kcButtonSecondaryClass!}">${msg("proxymeRevokeAllConfirm")}</button>
                    </form>
                </details>
            </#if>
            <h2>${msg("proxymeMyDelegationsEnded")}</h2>
            <div id="proxyme-ended">
                <#list proxyme.delegations.ended as d>
                    <div id="proxyme-ended-${d.id}" class="proxyme-delegation proxyme-ended">
                        <strong>${d.agent_name}</strong><@agentStanding d/> → ${d.portal_name} · ${d.scopes?join(", ")}
                        <div class="proxyme-end-reason">${msg("proxymeEnded_" + (d.end_reason!"expired"))}<#if d.ended_at??> · <@common.time millis=d.ended_at/></#if></div>
                    </div>
                <#else>
                    <p id="proxyme-ended-empty">${msg("proxymeMyDelegationsNoneEnded")}</p>
                </#list>
            </div>
        </div>
        </#if>
        <@common.localTimes/>
    </#if>
</@layout.registrationLayout>
