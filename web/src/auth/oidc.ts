// Production sign-in: OpenID Connect authorization code flow with PKCE (S256), on the Web Crypto API.

export interface OidcSettings {
  issuer: string;
  client_id: string;
  scope?: string;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

const PENDING_KEY = "safety.console.oidc";
export const CALLBACK_PATH = "/signin/callback";

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function randomToken(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The S256 code challenge of a PKCE code verifier (RFC 7636). */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

async function discover(issuer: string): Promise<Discovery> {
  const response = await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`身份认证服务不可用（HTTP ${response.status}）`);
  return (await response.json()) as Discovery;
}

function redirectUri(): string {
  return new URL(CALLBACK_PATH, window.location.origin).toString();
}

/** Sends the browser to the issuer's sign-in page; the verifier and state wait in sessionStorage. */
export async function beginSignIn(settings: OidcSettings, returnTo: string): Promise<void> {
  const discovery = await discover(settings.issuer);
  const verifier = randomToken();
  const state = randomToken();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, returnTo }));
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: settings.client_id,
    redirect_uri: redirectUri(),
    scope: settings.scope ?? "openid profile",
    state,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: "S256",
  }).toString();
  window.location.assign(url.toString());
}

/** Exchanges the callback's code for an access token; returns it with the path to return to. */
export async function completeSignIn(
  settings: OidcSettings,
  query: URLSearchParams,
): Promise<{ accessToken: string; returnTo: string }> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? "null") as {
    verifier: string;
    state: string;
    returnTo: string;
  } | null;
  sessionStorage.removeItem(PENDING_KEY);
  const error = query.get("error");
  if (error) throw new Error(`登录被拒绝：${query.get("error_description") ?? error}`);
  const code = query.get("code");
  if (!pending || !code || query.get("state") !== pending.state) throw new Error("登录回调无效，请重新登录");
  const discovery = await discover(settings.issuer);
  const response = await fetch(discovery.token_endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri(),
      client_id: settings.client_id,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error(`换取令牌失败（HTTP ${response.status}）`);
  const tokens = (await response.json()) as { access_token?: string };
  if (!tokens.access_token) throw new Error("身份认证服务未返回访问令牌");
  return { accessToken: tokens.access_token, returnTo: pending.returnTo };
}
