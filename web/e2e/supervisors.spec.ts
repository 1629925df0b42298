// 派驻监督员: coverage as the supervisor API gives it, the lists, and the posting notice download.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { formatCount, formatFraction } from "../src/format";
import { apiAs, expectAccessible, signIn } from "./fixtures";

test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== "desktop", "desktop-sized supervisors screen");
});

interface CoverageFigure {
  eligible: number;
  covered: number;
  uncovered: number;
  rate: string | null;
}

test("coverage, supervisors, assignments with their notices, and gaps", async ({ page }) => {
  await signIn(page, "city-admin");
  await page.goto("/supervisors");

  const api = await apiAs("city-admin");
  const coverage = (await (await api.get(api.url("supervisor", "/api/v1/coverage"))).json()) as {
    overall: CoverageFigure;
  };
  await api.dispose();
  await expect(page.getByTestId("coverage-eligible")).toHaveText(formatCount(coverage.overall.eligible));
  await expect(page.getByTestId("coverage-covered")).toHaveText(formatCount(coverage.overall.covered));
  await expect(page.getByTestId("coverage-uncovered")).toHaveText(formatCount(coverage.overall.uncovered));
  await expect(page.getByTestId("coverage-rate")).toHaveText(formatFraction(coverage.overall.rate));

  await expect(page.getByTestId("supervisor-list").locator("tbody tr").first()).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("tab", { name: "派驻关系" }).click();
  const notice = page.getByTestId("assignment-list").getByRole("button", { name: /派驻公示牌/ }).first();
  await expect(notice).toBeVisible();
  await expectAccessible(page);
  const [download] = await Promise.all([page.waitForEvent("download"), notice.click()]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  expect(readFileSync((await download.path())!).subarray(0, 4).toString("latin1")).toBe("%PDF");

  await page.getByRole("tab", { name: "覆盖缺口" }).click();
  await expect(page.getByTestId("uncovered-total")).toHaveText(`未派驻 ${coverage.overall.uncovered} 家`);
  await expectAccessible(page);
});

test("a township officer's supervisor lists hold only their township", async ({ page }) => {
  await signIn(page, "township-officer");
  await page.goto("/supervisors");
  await page.getByRole("tab", { name: "覆盖缺口" }).click();
  await expect(page.getByTestId("uncovered-list")).toBeVisible();
  await page.getByTestId("township-filter").last().click();
  await expect(page.getByRole("option", { name: "黔城镇" })).toBeVisible();
  await expect(page.getByRole("option", { name: "安江镇" })).toHaveCount(0);
  await page.keyboard.press("Escape");
  const gaps = page.getByTestId("uncovered-list");
  await expect(gaps.getByText("黔城镇", { exact: true }).first()).toBeVisible();
  await expect(gaps.getByText("安江镇", { exact: true })).toHaveCount(0);
});
