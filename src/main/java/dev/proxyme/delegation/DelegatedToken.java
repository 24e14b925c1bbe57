package dev.proxyme.delegation;

import dev.proxyme.model.Delegation;
import dev.proxyme.model.MintedToken;

/** A token just issued under a delegation, with the delegation as it was issued under (bound to a DPoP key, say). */
public record DelegatedToken(Delegation delegation, MintedToken token) {}
