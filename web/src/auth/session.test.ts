import { afterEach, describe, expect, it } from "vitest";
import { decodeClaims } from "./jwt";
import { currentToken, principalFromToken, restoreSession, signIn, signOut, useSession } from "./session";

function base64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function token(claims: Record<string, unknown>): string {
  return `${base64Url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64Url(JSON.stringify(claims))}.signature`;
}

const township = {
  sub: "township-officer",
  name: "李华（沙湾乡）",
  roles: ["township_officer"],
  jurisdictions: ["431281104000"],
  exp: Math.floor(Date.now() / 1000) + 3600,
};

afterEach(() => signOut());

describe("JWT payload", () => {
  it("decodes base64url payloads with Chinese names", () => {
    expect(decodeClaims(token(township))).toMatchObject({ sub: "township-officer", name: "李华（沙湾乡）" });
  });

  it("refuses what is not a compact JWT", () => {
    expect(() => decodeClaims("not-a-token")).toThrow();
    expect(() => decodeClaims(token({ roles: [] }))).toThrow();
  });

  it("builds the principal with defaults for missing claims", () => {
    const { principal } = principalFromToken(token({ sub: "integration-x" }));
    expect(principal).toEqual({
      sub: "integration-x",
      name: "integration-x",
      roles: [],
      jurisdictions: [],
      department: null,
      enterpriseId: null,
      supervisorId: null,
    });
  });
});

describe("session", () => {
  it("exposes the signed-in principal and checks roles", () => {
    signIn(token(township));
    const session = useSession();
    expect(session.signedIn.value).toBe(true);
    expect(session.principal.value?.jurisdictions).toEqual(["431281104000"]);
    expect(session.hasRole("township_officer")).toBe(true);
    expect(session.hasRole("city_admin", "leader")).toBe(false);
  });

  it("forgets the token on sign-out", () => {
    signIn(token(township));
    useSession().signOut();
    expect(currentToken()).toBeNull();
    expect(useSession().principal.value).toBeNull();
    expect(restoreSession()).toBe(false);
  });

  it("resumes after a reload but not with an expired token", () => {
    signIn(token(township));
    expect(restoreSession()).toBe(true);
    expect(restoreSession(Date.now() + 2 * 3600 * 1000)).toBe(false);
    expect(useSession().signedIn.value).toBe(false);
  });
});
