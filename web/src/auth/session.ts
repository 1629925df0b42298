// Who is signed in: the bearer token and the principal read from it, kept for the browser tab's session.
import { computed, reactive, readonly } from "vue";
import { decodeClaims } from "./jwt";

export type Role =
  | "city_admin"
  | "department_officer"
  | "township_officer"
  | "supervisor"
  | "enterprise"
  | "leader";

export interface SessionPrincipal {
  sub: string;
  name: string;
  roles: readonly string[];
  jurisdictions: readonly string[];
  department: string | null;
  enterpriseId: string | null;
  supervisorId: string | null;
}

const STORAGE_KEY = "safety.console.token";

const state = reactive<{ token: string | null; principal: SessionPrincipal | null; expiresAt: number | null }>({
  token: null,
  principal: null,
  expiresAt: null,
});

/** The principal a token's claims describe. */
export function principalFromToken(token: string): { principal: SessionPrincipal; expiresAt: number | null } {
  const claims = decodeClaims(token);
  return {
    principal: {
      sub: claims.sub,
      name: claims.name ?? claims.sub,
      roles: claims.roles ?? [],
      jurisdictions: claims.jurisdictions ?? [],
      department: claims.department ?? null,
      enterpriseId: claims.enterprise_id ?? null,
      supervisorId: claims.supervisor_id ?? null,
    },
    expiresAt: typeof claims.exp === "number" ? claims.exp * 1000 : null,
  };
}

/** Starts a session with a token (after the development sign-in or the OIDC code exchange). */
export function signIn(token: string): SessionPrincipal {
  const { principal, expiresAt } = principalFromToken(token);
  state.token = token;
  state.principal = principal;
  state.expiresAt = expiresAt;
  sessionStorage.setItem(STORAGE_KEY, token);
  return principal;
}

/** Ends the session and forgets the token. */
export function signOut(): void {
  state.token = null;
  state.principal = null;
  state.expiresAt = null;
  sessionStorage.removeItem(STORAGE_KEY);
}

/** Resumes the tab's session after a reload, unless its token has expired or cannot be read. */
export function restoreSession(now: number = Date.now()): boolean {
  const token = sessionStorage.getItem(STORAGE_KEY);
  if (!token) return false;
  try {
    const { expiresAt } = principalFromToken(token);
    if (expiresAt !== null && expiresAt <= now) {
      signOut();
      return false;
    }
    signIn(token);
    return true;
  } catch {
    signOut();
    return false;
  }
}

/** The bearer token of the session, if signed in. */
export function currentToken(): string | null {
  if (state.expiresAt !== null && state.expiresAt <= Date.now()) return null;
  return state.token;
}

/** Whether the principal holds any of the roles. */
export function principalHasRole(principal: { readonly roles: readonly string[] } | null, ...roles: Role[]): boolean {
  return principal !== null && principal.roles.some((role) => (roles as string[]).includes(role));
}

/** The reactive session: the principal, whether signed in, role checks and sign-out. */
export function useSession() {
  return {
    principal: computed(() => readonly(state).principal),
    signedIn: computed(() => state.token !== null),
    hasRole: (...roles: Role[]) => principalHasRole(state.principal, ...roles),
    signIn,
    signOut,
  };
}
