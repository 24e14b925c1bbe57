<#-- The administrators' page of the realm's delegations. Element ids are stable: tests and custom themes rely on them. -->
<#-- Times are written in UTC whatever the server's own zone; the page's script puts them in the reader's. -->
<#setting time_zone="UTC">
<#import "template.ftl" as layout>
<#import "proxyme-common.ftl" as common>
<#global title = msg("proxymeAdminTitle") + " · " + (realm.displayName!realm.name)>
<#-- A revocation behind a disclosure that says what it ends: nothing is revoked by one click. -->
<#macro revokeControl what target label warning>
    <#if proxyme.mayManage>
        <details id="proxyme-admin-revoke-${what}-confirm" class="proxyme-admin-confirm">
            <summary id="proxyme-admin-revoke-${what}-open" class="${properties.kcButtonClass!} ${properties.kcButtonSecondaryClass!}">${label}</summary>
            <p id="proxyme-admin-revoke-${what}-warning" role="note">${warning}</p>
            <form action="${proxyme.revokeUrl}" method="post">
                <input type="hidden" name="state_checker" value="${proxyme.stateChecker}">
                <input type="hidden" name="nonce" value="${proxyme.nonce}">
                <input type="hidden" name="what" value="${what}">
                <input type="hidden" name="target" value="${target}">
                <button id="proxyme-admin-revoke-${what}" type="submit" class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!}">${msg("proxymeAdminConfirm")}</button>
            </form>
        </details>
    </#if>
</#macro>
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        <span id="proxyme-title">${msg("proxymeAdminTitle")}</span>
    <#elseif section = "form">
        <style>
            #proxyme-page h2 { font-weight: 600; font-size: 1rem; margin: 1.25rem 0 0.5rem; }
            #proxyme-admin-filter { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: 0.5rem; align-items: end; }
            #proxyme-admin-filter label { display: block; font-size: 0.875rem; }
            #proxyme-admin-filter input, #proxyme-admin-filter select { width: 100%; }
            .proxyme-admin-table { width: 100%; font-size: 0.875rem; border-collapse: collapse; margin-top: 0.75rem; }
            .proxyme-admin-table th { text-align: left; border-bottom: 2px solid #d2d2d2; padding: 0.25rem 0.4rem; }
            .proxyme-admin-table td { padding: 0.25rem 0.4rem; border-bottom: 1px solid #eee; overflow-wrap: anywhere; }
            .proxyme-admin-confirm { margin: 0.5rem 0; }
            .proxyme-admin-confirm p { color: #a30000; }
            #proxyme-message { padding: 0.5rem 0.75rem; background: #f3faf2; border-left: 3px solid #3e8635; }
            #proxyme-admin-record dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 0.75rem; font-size: 0.875rem; }
            #proxyme-admin-record dt { color: #4f5255; }
            .proxyme-refusal-detail { display: block; color: #4f5255; font-size: 0.8125rem; overflow-wrap: anywhere; }
            .proxyme-refused td { color: #a30000; }
            .proxyme-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        </style>
        <div id="proxyme-page" class="proxyme-admin">
        <p id="proxyme-admin-realm">${common.say("proxymeAdminRealm", proxyme.realmName)}</p>
        <p><a id="proxyme-admin-list-link" href="${proxyme.listUrl}">${msg("proxymeAdminAll")}</a></p>
        <#if proxyme.view = "message">
            <p id="proxyme-message" role="status">${msg(proxyme.message)}</p>
        <#elseif proxyme.view = "list">
            <form id="proxyme-admin-filter" action="${proxyme.listUrl}" method="get" role="search">
                <div><label for="proxyme-admin-username">${msg("proxymeAdminUsername")}</label>
                    <input id="proxyme-admin-username" name="username" type="text" value="${proxyme.filter.username}" class="${properties.kcInputClass!}"></div>
                <div><label for="proxyme-admin-agent">${msg("proxymeAdminAgent")}</label>
                    <input id="proxyme-admin-agent" name="agent" type="text" value="${proxyme.filter.agent}" class="${properties.kcInputClass!}"></div>
                <div><label for="proxyme-admin-portal">${msg("proxymeAdminPortal")}</label>
                    <input id="proxyme-admin-portal" name="portal" type="text" value="${proxyme.filter.portal}" class="${properties.kcInputClass!}"></div>
                <div><label for="proxyme-admin-status">${msg("proxymeAdminStatus")}</label>
                    <select id="proxyme-admin-status" name="status" class="${properties.kcInputClass!}">
                        <option value="">${msg("proxymeAdminAnyStatus")}</option>
                        <#list proxyme.filter.statuses as status>
                            <option value="${status}"<#if proxyme.filter.status = status> selected</#if>>${msg("proxymeAdminStatus_" + status)}</option>
                        </#list>
                    </select></div>
                <div><label for="proxyme-admin-granted-from">${msg("proxymeAdminGrantedFrom")}</label>
                    <input id="proxyme-admin-granted-from" name="granted_from" type="date" value="${proxyme.filter.from}" class="${properties.kcInputClass!}"></div>
                <div><label for="proxyme-admin-granted-to">${msg("proxymeAdminGrantedTo")}</label>
                    <input id="proxyme-admin-granted-to" name="granted_to" type="date" value="${proxyme.filter.to}" class="${properties.kcInputClass!}"></div>
                <div><button id="proxyme-admin-search" type="submit" class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!}">${msg("proxymeAdminSearch")}</button></div>
            </form>
            <table id="proxyme-admin-delegations" class="proxyme-admin-table">
                <caption class="proxyme-visually-hidden">${msg("proxymeAdminTitle")}</caption>
                <thead><tr>
                    <th scope="col">${msg("proxymeAdminAgent")}</th><th scope="col">${msg("proxymeAdminPortal")}</th>
                    <th scope="col">${msg("proxymeFieldScopes")}</th><th scope="col">${msg("proxymeAdminStatus")}</th>
                    <th scope="col">${msg("proxymeFieldGranted")}</th><th scope="col">${msg("proxymeFieldEnds")}</th>
                </tr></thead>
                <tbody>
                <#list proxyme.delegations as d>
                    <tr id="proxyme-admin-row-${d.id}">
                        <td><a id="proxyme-admin-open-${d.id}" href="${proxyme.delegationUrl}${d.id}">${d.agent_id}</a></td>
                        <td>${d.portal}</td><td>${d.scopes?join(", ")}</td>
                        <td class="proxyme-admin-status">${msg("proxymeAdminStatus_" + d.status?lower_case)}</td>
                        <td><@common.time millis=d.created_at/></td>
                        <td><@common.time millis=d.expires_at/></td>
                    </tr>
                <#else>
                    <tr><td id="proxyme-admin-none" colspan="6">${msg("proxymeAdminNone")}</td></tr>
                </#list>
                </tbody>
            </table>
        <#elseif proxyme.view = "delegation">
            <#assign d = proxyme.record.delegation>
            <div id="proxyme-admin-record">
                <h2>${d.agent_id} → ${d.portal}</h2>
                <dl>
                    <dt>${msg("proxymeAdminUsername")}</dt><dd id="proxyme-admin-user">${proxyme.delegationUsername!d.user_id}</dd>
                    <dt>${msg("proxymeAdminStatus")}</dt><dd id="proxyme-admin-status-value">${msg("proxymeAdminStatus_" + d.status?lower_case)}<#if d.end_reason??> · ${d.end_reason}</#if></dd>
                    <dt>${msg("proxymeFieldScopes")}</dt><dd>${d.scopes?join(", ")}</dd>
                    <#if d.purpose??><dt>${msg("proxymeFieldPurpose")}</dt><dd>${d.purpose}</dd></#if>
                    <dt>${msg("proxymeFieldGranted")}</dt><dd><@common.time millis=d.created_at/></dd>
                    <dt>${msg("proxymeFieldEnds")}</dt><dd><@common.time millis=d.expires_at/></dd>
                    <dt>${msg("proxymeFieldTokens")}</dt><dd id="proxyme-admin-tokens">${d.tokens_issued}</dd>
                </dl>
                <h2>${msg("proxymeAdminTrail")}</h2>
                <table id="proxyme-admin-trail" class="proxyme-admin-table">
                    <thead><tr><th scope="col">${msg("proxymeAdminTime")}</th><th scope="col">${msg("proxymeAdminAction")}</th><th scope="col">${msg("proxymeAdminBy")}</th><th scope="col">${msg("proxymeAdminDetail")}</th></tr></thead>
                    <tbody>
                    <#list proxyme.record.audit as entry>
                        <tr class="proxyme-admin-trail-entry"><td><@common.time millis=entry.time seconds=true/></td><td>${entry.action}</td><td>${entry.actor_type!""}</td><td>${entry.detail!(entry.scope!"")}</td></tr>
                    </#list>
                    </tbody>
                </table>
                <h2 id="proxyme-admin-activity-title">${msg("proxymeAdminActivity")}</h2>
                <#if proxyme.activity?? && proxyme.activity.entries?has_content>
                    <table id="proxyme-admin-activity-counts" class="proxyme-admin-table">
                        <caption class="proxyme-visually-hidden">${msg("proxymeActivityCounts")}</caption>
                        <thead><tr><th scope="col">${msg("proxymeActivityWhat")}</th><th scope="col">${msg("proxymeActivityOutcome")}</th><th scope="col">${msg("proxymeActivityTimes")}</th></tr></thead>
                        <tbody>
                        <#list proxyme.activity.counts as c>
                            <tr class="proxyme-admin-count proxyme-${c.decision}"><td><code>${c.method} ${c.path}</code></td><td>${msg("proxymeActivity_" + c.decision)}</td><td>${c.count?c}</td></tr>
                        </#list>
                        </tbody>
                    </table>
                    <table id="proxyme-admin-activity" class="proxyme-admin-table">
                        <caption class="proxyme-visually-hidden">${msg("proxymeActivityLatest")}</caption>
                        <thead><tr><th scope="col">${msg("proxymeActivityWhen")}</th><th scope="col">${msg("proxymeActivityWhat")}</th><th scope="col">${msg("proxymeActivityOutcome")}</th><th scope="col">${msg("proxymeAdminNode")}</th></tr></thead>
                        <tbody>
                        <#list proxyme.activity.entries as e>
                            <tr class="proxyme-admin-activity-entry proxyme-${e.decision}"><td><@common.time millis=e.time seconds=true/></td><td><code>${e.method} ${e.path}</code></td><td>${msg("proxymeActivity_" + e.decision)}<#if e.count gt 1> ×${e.count?c}</#if><#if e.reason??><div class="proxyme-refusal"><@common.refusal reason=e.reason/></div></#if></td><td>${e.node!""}</td></tr>
                        </#list>
                        </tbody>
                    </table>
                <#else>
                    <p id="proxyme-admin-activity-none">${msg("proxymeActivityNone")}</p>
                </#if>
                <#if d.status = "ACTIVE">
                    <@revokeControl what="delegation" target=d.id label=msg("proxymeAdminRevokeOne") warning=common.say("proxymeAdminRevokeOneWarning", d.agent_id, d.portal)/>
                </#if>
                <@revokeControl what="user" target=d.user_id label=common.say("proxymeAdminRevokeUser", proxyme.delegationUsername!d.user_id) warning=common.say("proxymeAdminRevokeUserWarning", proxyme.delegationUsername!d.user_id)/>
                <@revokeControl what="agent" target=d.agent_id label=common.say("proxymeAdminRevokeAgent", d.agent_id) warning=common.say("proxymeAdminRevokeAgentWarning", d.agent_id)/>
            </div>
        </#if>
        </div>
        <@common.localTimes/>
    </#if>
</@layout.registrationLayout>
