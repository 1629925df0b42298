// The runtime configuration the console fetches from its own origin at start (config.json).

export type ServiceName = "hazard" | "enforcement" | "supervisor" | "reporting";

export type AuthConfig =
  | { mode: "dev" }
  | { mode: "oidc"; issuer: string; client_id: string; scope?: string };

export interface ConsoleConfig {
  services: Record<ServiceName, string>;
  auth: AuthConfig;
}

let loaded: ConsoleConfig | null = null;

/** Fetches config.json once; every later call returns the same object. */
export async function loadConfig(fetcher: typeof fetch = fetch): Promise<ConsoleConfig> {
  if (loaded) return loaded;
  // From the app's base, not the page's: a deep link such as /hazards/<id> would ask /hazards/config.json.
  const url = new URL(`${import.meta.env.BASE_URL}config.json`, document.baseURI);
  const response = await fetcher(url.toString(), { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  loaded = (await response.json()) as ConsoleConfig;
  return loaded;
}

/** The configuration loaded at start (loadConfig must have resolved first). */
export function config(): ConsoleConfig {
  if (!loaded) throw new Error("config.json is not loaded yet");
  return loaded;
}

/** Replaces the loaded configuration (unit tests). */
export function setConfig(value: ConsoleConfig | null): void {
  loaded = value;
}
