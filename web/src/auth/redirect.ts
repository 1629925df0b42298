// Where to go after signing in: the page the guard sent the user away from, if it is a console path.

/** The path to return to after sign-in (only same-origin paths, never another site). */
export function returnPath(redirect: unknown, fallback: string): string {
  return typeof redirect === "string" && redirect.startsWith("/") && !redirect.startsWith("//") ? redirect : fallback;
}
