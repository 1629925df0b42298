// 驾驶舱: its figures are the reporting API's, it follows new events within the freshness target, and it marks
// when its figures are drawn (the render time is printed and attached to the report, never asserted: this machine
// is shared and noisy).
import { expect, test, type Page } from "@playwright/test";
import { formatCount } from "../src/format";
import { figureText, SECTIONS, type Statistics } from "../src/views/dashboard/figures";
import { apiAs, expectAccessible, signIn } from "./fixtures";

// How soon a hazard's events must show in the dashboard's figures (projection lag plus one refresh).
const FRESHNESS_TARGET_MS = 30_000;

test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== "desktop", "desktop-sized dashboard");
});

async function shownPeriodStart(page: Page): Promise<string> {
  const text = (await page.getByTestId("period-range").textContent()) ?? "";
  const start = /(\d{4}-\d{2}-\d{2})/.exec(text)?.[1];
  expect(start, `period shown: ${text}`).toBeTruthy();
  return start!;
}

async function apiStatistics(userId: string, periodStart: string): Promise<Statistics> {
  const api = await apiAs(userId);
  const response = await api.get(api.url("reporting", "/api/v1/statistics"), {
    params: { period: "month", date: periodStart },
  });
  expect(response.ok()).toBeTruthy();
  const body = (await response.json()) as Statistics;
  await api.dispose();
  return body;
}

test("the city admin's dashboard shows the reporting API's figures for the same period", async ({ page }) => {
  await signIn(page, "city-admin");
  await page.goto("/dashboard");
  await expect(page.getByTestId("figure-found")).toBeVisible();
  await expect(page.getByTestId("freshness")).toContainText("数据截至");
  const statistics = await apiStatistics("city-admin", await shownPeriodStart(page));
  for (const spec of SECTIONS.flatMap((s) => s.figures)) {
    await expect(page.getByTestId(`figure-${spec.field}`), spec.field).toHaveText(figureText(statistics, spec));
  }
  await expect(page.getByTestId("chart-trend")).toBeVisible();
  await expect(page.getByTestId("chart-by-township")).toBeVisible();
  await expect(page.getByTestId("chart-by-department")).toBeVisible();
  await expectAccessible(page);
});

test("the dashboard marks when its figures are drawn, and the render time is reported", async ({ page }) => {
  await signIn(page, "city-admin");
  await page.goto("/dashboard");
  await expect(page.getByTestId("figure-found")).toBeVisible();
  const drawnAt = await page.evaluate(() => performance.getEntriesByName("dashboard-figures-drawn")[0]?.startTime);
  expect(drawnAt, "the dashboard marks when its figures are drawn").toBeDefined();
  const figure = `${Math.round(drawnAt!)} ms`;
  test.info().annotations.push({ type: "dashboard render time (navigation to figures drawn)", description: figure });
  console.log(`dashboard render time (navigation to figures drawn): ${figure}`);
});

test("a hazard a township officer reports and closes shows in the dashboard within the freshness target", async ({
  page,
}) => {
  await signIn(page, "city-admin");
  await page.goto("/dashboard");
  await expect(page.getByTestId("figure-found")).toBeVisible();
  const before = await apiStatistics("city-admin", await shownPeriodStart(page));

  const officer = await apiAs("township-officer");
  const enterprises = await officer.get(officer.url("supervisor", "/api/v1/enterprises"), { params: { limit: 1 } });
  expect(enterprises.ok()).toBeTruthy();
  const enterprise = ((await enterprises.json()) as { items: { id: string }[] }).items[0];
  expect(enterprise, "the township has a demo enterprise").toBeTruthy();
  const day = (offset: number) =>
    new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai" }).format(new Date(Date.now() + offset * 86_400_000));
  const today = day(0);
  const created = await officer.post(officer.url("hazard", "/api/v1/hazards"), {
    headers: { "Idempotency-Key": crypto.randomUUID() },
    data: {
      enterprise_id: enterprise!.id,
      grade: "general",
      source: "department_inspection",
      description: "端到端测试：消防通道堆放杂物",
      reported_on: today,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const hazard = (await created.json()) as { id: string };
  let etag = created.headers()["etag"] ?? "";
  const steps: [string, Record<string, string>][] = [
    ["rectification", { deadline: day(7) }],
    ["rectified", { rectified_on: today }],
    ["verification", { verified_on: today }],
    ["closure", { closed_on: today }],
  ];
  for (const [action, data] of steps) {
    const response = await officer.post(officer.url("hazard", `/api/v1/hazards/${hazard.id}/${action}`), {
      headers: { "If-Match": etag, "Idempotency-Key": crypto.randomUUID() },
      data,
    });
    expect(response.ok(), `${action}: ${await response.text()}`).toBeTruthy();
    etag = response.headers()["etag"] ?? "";
  }
  await officer.dispose();

  const found = formatCount(before.hazards.found + 1);
  const rectified = formatCount(before.hazards.rectified + 1);
  await expect(async () => {
    await page.getByTestId("refresh").click();
    await expect(page.getByTestId("figure-found")).toHaveText(found, { timeout: 1_000 });
    await expect(page.getByTestId("figure-rectified")).toHaveText(rectified, { timeout: 1_000 });
  }).toPass({ timeout: FRESHNESS_TARGET_MS, intervals: [1_000] });
});
