// Reading a JWT's payload in the browser. The console does not verify tokens: the services do.

export interface TokenClaims {
  sub: string;
  name?: string;
  roles?: string[];
  jurisdictions?: string[];
  department?: string | null;
  enterprise_id?: string;
  supervisor_id?: string;
  exp?: number;
}

function base64UrlDecode(segment: string): string {
  const base64 = segment.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(segment.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The claims of a compact JWT (header.payload.signature); throws on anything else. */
export function decodeClaims(token: string): TokenClaims {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) throw new Error("not a compact JWT");
  const claims = JSON.parse(base64UrlDecode(parts[1])) as TokenClaims;
  if (typeof claims.sub !== "string") throw new Error("the token names no subject");
  return claims;
}
