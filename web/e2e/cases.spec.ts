// 执法案件 on the desktop, as the city administrator: cases by stage with their legal clocks, a case's file
// with its stages, and inspections with a unit's plan against what it did.
import { expect, test } from "@playwright/test";
import { apiAs, expectAccessible, signIn } from "./fixtures";

const TOWNSHIP = "431281101000";

test.beforeEach(({}, info) => test.skip(info.project.name !== "desktop", "case files are a desktop screen"));

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

test("cases by stage, a case's file, and inspections against the plan", async ({ page }) => {
  const admin = await apiAs("city-admin");
  const party = `E2E 洪江市某某加油站 ${Date.now()}`;
  const filed = await admin.post(admin.url("enforcement", "/api/v1/cases"), {
    data: {
      party_type: "unit",
      party_name: party,
      township_code: TOWNSHIP,
      unit_code: "yjj",
      cause: "未按规定开展安全生产教育培训",
      filed_on: today(),
    },
  });
  expect(filed.status(), await filed.text()).toBe(201);
  const { id, case_number } = (await filed.json()) as { id: string; case_number: string };
  const year = new Date().getFullYear();
  const months = Array.from({ length: 12 }, (_, i) => ({
    month: i + 1,
    inspections: 4,
    enterprise_checks: 8,
    cases: 1,
  }));
  const plan = await admin.post(admin.url("enforcement", "/api/v1/plans"), {
    data: {
      year,
      unit_type: "township",
      unit_code: TOWNSHIP,
      approved_by: "洪江市人民政府",
      approved_on: `${year}-01-05`,
      months,
    },
  });
  expect(plan.ok(), await plan.text()).toBeTruthy();
  await admin.dispose();

  await signIn(page, "city-admin");
  await page.goto("/cases");
  await expect(page.getByTestId("cases-total")).toContainText("共");
  await page.getByRole("tab", { name: "立案" }).click();
  await expect(page.getByTestId("cases-table")).toContainText(case_number);
  await expect(page.getByTestId("clocks").or(page.getByTestId("clocks-empty"))).toBeVisible();
  await expectAccessible(page);

  await page.getByTestId("case-link").filter({ hasText: case_number }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${id}$`));
  await expect(page.getByTestId("case-title")).toContainText(party);
  await expect(page.getByTestId("case-stages").locator('[aria-current="step"]')).toHaveText("立案");
  await expectAccessible(page);

  await page.goto("/inspections");
  await expect(page.getByTestId("plan-progress")).toBeVisible();
  await expect(page.getByTestId("plan-completion")).toContainText("完成率");
  await expectAccessible(page);
});
