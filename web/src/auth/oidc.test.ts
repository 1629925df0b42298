import { describe, expect, it } from "vitest";
import { codeChallenge, completeSignIn } from "./oidc";

const settings = { issuer: "https://id.example.test", client_id: "console" };

describe("PKCE", () => {
  it("derives the S256 code challenge of RFC 7636's example verifier", async () => {
    expect(await codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("refuses a callback whose state is not the one this tab sent", async () => {
    sessionStorage.setItem("safety.console.oidc", JSON.stringify({ verifier: "v", state: "sent", returnTo: "/" }));
    await expect(completeSignIn(settings, new URLSearchParams({ code: "c", state: "forged" }))).rejects.toThrow(
      "登录回调无效",
    );
  });

  it("reports the issuer's refusal", async () => {
    sessionStorage.setItem("safety.console.oidc", JSON.stringify({ verifier: "v", state: "sent", returnTo: "/" }));
    await expect(
      completeSignIn(settings, new URLSearchParams({ error: "access_denied", error_description: "用户取消" })),
    ).rejects.toThrow("登录被拒绝：用户取消");
  });
});
