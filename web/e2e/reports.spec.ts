// 报表: each report is shown as the API gives it and downloads with the bearer token.
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { apiAs, expectAccessible, signIn } from "./fixtures";

test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== "desktop", "desktop-sized reports");
});

async function expectDownload(page: Page, testid: string, extension: string, magic: string): Promise<void> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testid).click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`\\.${extension}$`));
  const bytes = readFileSync((await download.path())!);
  expect(bytes.subarray(0, magic.length).toString("latin1")).toBe(magic);
}

test("the monthly dispatch shows the API's table and downloads as XLSX", async ({ page }) => {
  await signIn(page, "city-admin");
  await page.goto("/reports");
  await expect(page.getByTestId("monthly-dispatch")).toBeVisible();

  const now = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai" }).format(new Date()).slice(0, 7);
  const api = await apiAs("city-admin");
  const report = (await (
    await api.get(api.url("reporting", "/api/v1/reports/monthly-dispatch"), { params: { month: now } })
  ).json()) as { title: string; rows: { name: string }[] };
  await api.dispose();
  await expect(page.getByTestId("report-title")).toHaveText(report.title);
  for (const row of report.rows.slice(0, 3)) {
    await expect(page.getByTestId("monthly-dispatch").getByText(row.name, { exact: true }).first()).toBeVisible();
  }
  await expectAccessible(page);
  await expectDownload(page, "download-monthly-xlsx", "xlsx", "PK");
});

test("the quarterly ranking and the half-year summary show and download", async ({ page }) => {
  await signIn(page, "city-admin");
  await page.goto("/reports");
  await page.getByRole("tab", { name: "一季一排名" }).click();
  await expect(page.getByTestId("quarterly-ranking")).toBeVisible();
  await expectAccessible(page);
  await expectDownload(page, "download-ranking-xlsx", "xlsx", "PK");

  await page.getByRole("tab", { name: "半年总结" }).click();
  await expect(page.getByTestId("half-year-summary")).toContainText("3人以上企业派驻覆盖率");
  await expectAccessible(page);
  await expectDownload(page, "download-half-year-pdf", "pdf", "%PDF");
});

test("a township officer's reports cover only their township", async ({ page }) => {
  await signIn(page, "township-officer");
  await page.goto("/reports");
  const table = page.getByTestId("monthly-dispatch");
  await expect(table).toBeVisible();
  await page.getByTestId("report-unit").click();
  await page.getByRole("option", { name: "按乡镇" }).click();
  await expect(table.getByText("黔城镇", { exact: true }).first()).toBeVisible();
  await expect(table.getByText("安江镇", { exact: true })).toHaveCount(0);
});
