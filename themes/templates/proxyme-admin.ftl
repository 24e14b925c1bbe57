<#-- The administrators' page of the realm's delegations. Element ids are stable: tests and custom themes rely on them. -->
<#-- Times are shown, and labelled, in UTC whatever the server's own zone. -->
<#setting time_zone="UTC">
<#import "template.ftl" as layout>
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
            .proxyme-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        </style>
        <div id="proxyme-page" class="proxyme-admin">
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
                        <td>${d.created_at?number_to_datetime?string("yyyy-MM-dd HH:mm")} UTC</td>
                        <td>${d.expires_at?number_to_datetime?string("yyyy-MM-dd HH:mm")} UTC</td>
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
                    <dt>${msg("proxymeFieldGranted")}</dt><dd>${d.created_at?number_to_datetime?string("yyyy-MM-dd HH:mm")} UTC</dd>
                    <dt>${msg("proxymeFieldEnds")}</dt><dd>${d.expires_at?number_to_datetime?string("yyyy-MM-dd HH:mm")} UTC</dd>
                    <dt>${msg("proxymeFieldTokens")}</dt><dd id="proxyme-admin-tokens">${d.tokens_issued}</dd>
                </dl>
                <h2>${msg("proxymeAdminTrail")}</h2>
                <table id="proxyme-admin-trail" class="proxyme-admin-table">
                    <thead><tr><th scope="col">${msg("proxymeAdminTime")}</th><th scope="col">${msg("proxymeAdminAction")}</th><th scope="col">${msg("proxymeAdminBy")}</th><th scope="col">${msg("proxymeAdminDetail")}</th></tr></thead>
                    <tbody>
                    <#list proxyme.record.audit as entry>
                        <tr class="proxyme-admin-trail-entry"><td>${entry.time?number_to_datetime?string("yyyy-MM-dd HH:mm:ss")} UTC</td><td>${entry.action}</td><td>${entry.actor_type!""}</td><td>${entry.detail!(entry.scope!"")}</td></tr>
                    </#list>
                    </tbody>
                </table>
                <#if d.status = "ACTIVE">
                    <@revokeControl what="delegation" target=d.id label=msg("proxymeAdminRevokeOne") warning=msg("proxymeAdminRevokeOneWarning", d.agent_id, d.portal)/>
                </#if>
                <@revokeControl what="user" target=d.user_id label=msg("proxymeAdminRevokeUser", proxyme.delegationUsername!d.user_id) warning=msg("proxymeAdminRevokeUserWarning", proxyme.delegationUsername!d.user_id)/>
                <@revokeControl what="agent" target=d.agent_id label=msg("proxymeAdminRevokeAgent", d.agent_id) warning=msg("proxymeAdminRevokeAgentWarning", d.agent_id)/>
            </div>
        </#if>
        </div>
    </#if>
</@layout.registrationLayout>
