// The typed clients of the four services, generated from their OpenAPI documents (npm run gen:api).
import createClient, { type Client, type Middleware } from "openapi-fetch";
import { config, type ServiceName } from "@/config";
import { currentToken } from "@/auth/session";
import { ApiProblem } from "./problem";
import type { paths as EnforcementPaths } from "./generated/enforcement";
import type { paths as HazardPaths } from "./generated/hazard";
import type { paths as ReportingPaths } from "./generated/reporting";
import type { paths as SupervisorPaths } from "./generated/supervisor";

export { ApiProblem, problemMessage } from "./problem";

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
export const IDEMPOTENCY_HEADER = "Idempotency-Key";

/** A fresh idempotency key (a UUID; outside a secure context, from getRandomValues). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Request options carrying the caller's idempotency key, so a retry of the same write reuses it. */
export function withIdempotencyKey(key: string): { headers: Record<string, string> } {
  return { headers: { [IDEMPOTENCY_HEADER]: key } };
}

/** Adds the bearer token, an idempotency key on writes that carry none, and throws ApiProblem on errors. */
export function consoleMiddleware(token: () => string | null = currentToken): Middleware {
  return {
    onRequest({ request }) {
      const bearer = token();
      if (bearer) request.headers.set("Authorization", `Bearer ${bearer}`);
      if (WRITE_METHODS.has(request.method) && !request.headers.has(IDEMPOTENCY_HEADER)) {
        request.headers.set(IDEMPOTENCY_HEADER, newIdempotencyKey());
      }
      return request;
    },
    async onResponse({ response }) {
      if (!response.ok) throw await ApiProblem.fromResponse(response);
      return response;
    },
  };
}

interface ServicePaths {
  hazard: HazardPaths;
  enforcement: EnforcementPaths;
  supervisor: SupervisorPaths;
  reporting: ReportingPaths;
}

type ServiceClients = { [S in ServiceName]: Client<ServicePaths[S]> };

const clients: Partial<ServiceClients> = {};

function clientOf<S extends ServiceName>(service: S): ServiceClients[S] {
  const existing = clients[service];
  if (existing) return existing;
  // Not from the browser's HTTP cache: a record's ETag is its version while what it says (allowed actions)
  // depends on who asks, and Chromium revalidated one user's copy for the next user signed in on the tab.
  const client = createClient<ServicePaths[S]>({ baseUrl: config().services[service], cache: "no-store" });
  client.use(consoleMiddleware());
  clients[service] = client as ServiceClients[S];
  return client as ServiceClients[S];
}

/** The four services' clients, created on first use with the base URLs of config.json. */
export const api: ServiceClients = {
  get hazard() {
    return clientOf("hazard");
  },
  get enforcement() {
    return clientOf("enforcement");
  },
  get supervisor() {
    return clientOf("supervisor");
  },
  get reporting() {
    return clientOf("reporting");
  },
};

/** Downloads a file an endpoint answers (XLSX, PDF) with the bearer token, and saves it under its name. */
export async function downloadFile(service: ServiceName, path: string, fallbackName: string): Promise<void> {
  const headers = new Headers();
  const bearer = currentToken();
  if (bearer) headers.set("Authorization", `Bearer ${bearer}`);
  const response = await fetch(`${config().services[service]}${path}`, { headers });
  if (!response.ok) throw await ApiProblem.fromResponse(response);
  const blob = await response.blob();
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  const name = encoded ? decodeURIComponent(encoded) : (plain ?? fallbackName);
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
