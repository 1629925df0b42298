// Shared steps of the end-to-end specs: development sign-in, the axe-core check and API access as a demo user.
import AxeBuilder from "@axe-core/playwright";
import { expect, request, type APIRequestContext, type Page } from "@playwright/test";

export const CONSOLE_URL = process.env.CONSOLE_URL ?? "http://127.0.0.1:8300";

export type ServiceName = "hazard" | "enforcement" | "supervisor" | "reporting";

interface ConsoleConfig {
  services: Record<ServiceName, string>;
}

/** Signs in through the development sign-in screen as a demo user and waits for the first screen. */
export async function signIn(page: Page, userId: string): Promise<void> {
  await page.goto("/signin");
  await page.getByTestId(`signin-${userId}`).click();
  // Attached, not visible: the phone layout hides the name in its header.
  await expect(page.getByTestId("current-user")).toBeAttached();
}

/** Fails when axe-core finds a serious or critical accessibility violation on the page as it settles. */
export async function expectAccessible(page: Page): Promise<void> {
  // A dialog or message still fading in is half transparent, and axe measures its contrast as it is at that
  // moment (a fresh-clone run failed color-contrast on an opening dialog): check once transitions have ended.
  // Endless animations (spinners) never end and are not waited for.
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every((a) => a.playState !== "running" || a.effect?.getTiming().iterations === Infinity),
  );
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const summary = blocking.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(summary, `axe-core violations on ${page.url()}`).toEqual([]);
}

/** A development token of a demo user, minted by the console server of the embedded stack. */
export async function devToken(userId: string): Promise<string> {
  const context = await request.newContext({ baseURL: CONSOLE_URL });
  const response = await context.post("/dev/token", { data: { id: userId } });
  expect(response.ok(), `POST /dev/token for ${userId}`).toBeTruthy();
  const { access_token } = (await response.json()) as { access_token: string };
  await context.dispose();
  return access_token;
}

/** The API origins of the stack, read from the console's config.json. */
export async function serviceUrls(): Promise<Record<ServiceName, string>> {
  const context = await request.newContext({ baseURL: CONSOLE_URL });
  const config = (await (await context.get("/config.json")).json()) as ConsoleConfig;
  await context.dispose();
  return Object.fromEntries(
    Object.entries(config.services).map(([name, url]) => [name, url || CONSOLE_URL]),
  ) as Record<ServiceName, string>;
}

/** An API request context acting as a demo user (bearer token set); call `url(service, path)` for addresses. */
export async function apiAs(userId: string): Promise<APIRequestContext & { url: (service: ServiceName, path: string) => string }> {
  const [token, urls] = await Promise.all([devToken(userId), serviceUrls()]);
  const context = await request.newContext({ extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  return Object.assign(context, { url: (service: ServiceName, path: string) => `${urls[service]}${path}` });
}
