// The Account Console's "Agent access" page: Proxyme's own page for the user's delegations (what each agent may do,
// what it did, revoke), shown inside the console. Same origin: the page signs the user in with the same Keycloak
// session, and Keycloak's frame-ancestors 'self' lets the console frame it.
import { jsx } from "react/jsx-runtime";

function delegationsPage() {
  // The realm's own path: its name may start with "account" ("/realms/accounting/account/..."), and no segment is
  // empty (a leading "//" would name another host).
  const realm = window.location.pathname.match(/^((?:\/[^/]+)*?\/realms\/[^/]+)\/account(\/|$)/);
  return (realm ? realm[1] : "") + "/proxyme/delegations";
}

export default function AgentAccess() {
  const link = document.querySelector('a[href$="content/agent-access"]');
  return jsx("section", {
    id: "proxyme-agent-access",
    className: "pf-v5-c-page__main-section",
    children: jsx("iframe", {
      id: "proxyme-agent-access-frame",
      title: link ? link.textContent : "Agent access",
      src: delegationsPage(),
      style: { width: "100%", minHeight: "80vh", border: 0 },
    }),
  });
}
