<#-- What Proxyme's pages share: messages with others' words, times, routes, refusals and the page's script. Imported
     as "common". -->
<#-- A message with parameters that others wrote (an agent's name, a username, a path): put in after formatting, so
     that Keycloak's formatter never reads a "${key}" in them as a key of the realm's messages. Plain text, escaped
     where it is printed. -->
<#function say key args...>
    <#local parts = msg(key, "\x00010\x0001", "\x00011\x0001", "\x00012\x0001")?split("\x0001")>
    <#local text = "">
    <#list parts as part>
        <#if part?index % 2 == 1>
            <#local text = text + (args[part?number]!"")>
        <#else>
            <#local text = text + part>
        </#if>
    </#list>
    <#return text>
</#function>
<#-- A time: written in UTC (labelled so) for a browser without scripts, put in the reader's own time zone and
     language by localTimes. The importing template sets time_zone to UTC. -->
<#macro time millis seconds=false><time class="proxyme-time" datetime="${millis?number_to_datetime?string("yyyy-MM-dd'T'HH:mm:ss'Z'")}"<#if seconds> data-seconds="true"</#if>>${millis?number_to_datetime?string(seconds?then("yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm"))} UTC</time></#macro>
<#-- A message whose parameters are times: the message escaped, then each time put in as markup. -->
<#macro timedMessage key times>
    <#local text = msg(key, "%%time0%%", "%%time1%%")?esc?markup_string>
    <#list times as millis>
        <#local markup><@time millis=millis/></#local>
        <#local text = text?replace("%%time" + millis?index + "%%", markup?markup_string)>
    </#list>
    ${text?no_esc}
</#macro>
<#-- A route in plain words (the portal's label, the MCP tool, or what its methods do to its path), the pattern it
     enforces beside them as a detail. -->
<#macro route r id="">
    <span class="proxyme-route-words"<#if id?has_content> id="${id}"</#if>><#if r.label??>${advancedMsg(r.label)}<#elseif r.tool??>${say("proxymeRouteTool", r.tool)}<#else><#list r.verbs as verb>${say("proxymeRoute_" + verb, r.under?then(say("proxymeRouteUnder", r.path), r.path))}<#sep>; </#sep></#list></#if></span>
    <code class="proxyme-route-pattern">${r.pattern}</code>
</#macro>
<#-- Why the proxy refused a request, in plain words by its OAuth error, the portal's own reason as a detail. -->
<#macro refusal reason>
    <#local error = reason?keep_before(":")>
    <#if ["invalid_token", "insufficient_scope", "invalid_request", "invalid_dpop_proof", "use_dpop_nonce"]?seq_contains(error)>
        ${msg("proxymeRefusal_" + error)}
    <#else>
        ${msg("proxymeRefusal")}
    </#if>
    <span class="proxyme-refusal-detail">${reason?keep_after(":")?trim}</span>
</#macro>
<#-- Puts every time of the page in the reader's time zone and language (without scripts they stay in UTC). -->
<#macro localTimes>
    <script>
        (function () {
            var options = { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
            document.querySelectorAll("time.proxyme-time").forEach(function (element) {
                var when = new Date(element.getAttribute("datetime"));
                if (isNaN(when.getTime())) {
                    return;
                }
                var shown = Object.assign({}, options, element.dataset.seconds ? { second: "2-digit" } : {});
                try {
                    element.textContent = new Intl.DateTimeFormat(document.documentElement.lang || undefined, shown).format(when);
                } catch (unknownLanguage) {
                    element.textContent = new Intl.DateTimeFormat(undefined, shown).format(when);
                }
            });
        })();
    </script>
</#macro>
