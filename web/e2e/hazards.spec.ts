// 隐患台账 and a hazard's page on the desktop, as the city administrator: filters, sorting, keyset paging and
// export of the ledger; exactly the allowed actions as buttons, a stale page refused by If-Match, withdrawal.
import { expect, test } from "@playwright/test";
import { apiAs, expectAccessible, signIn } from "./fixtures";

type Api = Awaited<ReturnType<typeof apiAs>>;

const PAGE_SIZE = 20;

test.beforeEach(({}, info) => test.skip(info.project.name !== "desktop", "the ledger is a desktop screen"));

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

async function firstEnterprise(admin: Api): Promise<string> {
  const response = await admin.get(admin.url("supervisor", "/api/v1/enterprises?limit=1"));
  expect(response.ok()).toBeTruthy();
  const { items } = (await response.json()) as { items: { id: string }[] };
  return items[0]!.id;
}

async function report(admin: Api, enterpriseId: string, description: string): Promise<{ id: string; version: number }> {
  const response = await admin.post(admin.url("hazard", "/api/v1/hazards"), {
    data: {
      enterprise_id: enterpriseId,
      grade: "general",
      source: "department_inspection",
      description,
      reported_on: today(),
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { id: string; version: number };
}

test("the ledger filters, sorts, pages by cursor and exports", async ({ page }) => {
  const admin = await apiAs("city-admin");
  const enterpriseId = await firstEnterprise(admin);
  const counted = await admin.get(admin.url("hazard", "/api/v1/hazards?include_total=true&limit=1"));
  const { total } = (await counted.json()) as { total: number };
  for (let n = total; n <= PAGE_SIZE; n += 1) await report(admin, enterpriseId, `E2E 台账分页 ${n}`);
  await admin.dispose();

  await signIn(page, "city-admin");
  await page.goto("/hazards");
  await expect(page.getByTestId("ledger-total")).toContainText("已显示 20 条");
  await expectAccessible(page);
  await page.getByTestId("ledger-more").click();
  await expect(page.getByTestId("ledger-total")).not.toContainText("已显示 20 条");

  await page.goto("/hazards?status=reported");
  await expect(page.getByTestId("ledger-table").getByTestId("hazard-status").first()).toBeVisible();
  for (const status of await page.getByTestId("ledger-table").getByTestId("hazard-status").allTextContents()) {
    expect(status).toBe("已上报");
  }

  await page.getByRole("columnheader", { name: "整改期限" }).click();
  await expect(page).toHaveURL(/sort=deadline/);

  const download = page.waitForEvent("download");
  await page.getByTestId("export-xlsx").click();
  expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
});

test("a hazard's page offers exactly its allowed actions and refuses a stale change", async ({ page }) => {
  const admin = await apiAs("city-admin");
  const description = `E2E 消防通道堵塞 ${Date.now()}`;
  const hazard = await report(admin, await firstEnterprise(admin), description);
  const read = await admin.get(admin.url("hazard", `/api/v1/hazards/${hazard.id}`));
  const { allowed_actions } = (await read.json()) as { allowed_actions: string[] };

  await signIn(page, "city-admin");
  await page.goto(`/hazards/${hazard.id}`);
  await expect(page.getByTestId("hazard-title")).toContainText(description);
  const buttons = page.getByTestId("hazard-actions").getByRole("button");
  await expect(buttons).toHaveCount(allowed_actions.length);
  for (const action of allowed_actions) await expect(page.getByTestId(`action-${action}`)).toBeVisible();
  await expect(page.getByTestId("timeline")).toContainText("上报");
  await expectAccessible(page);

  // Someone else starts rectification meanwhile: this page's version is stale, so the API refuses (If-Match).
  const moved = await admin.post(admin.url("hazard", `/api/v1/hazards/${hazard.id}/rectification`), {
    data: { deadline: today() },
    headers: { "If-Match": `W/"${hazard.version}"` },
  });
  expect(moved.ok(), await moved.text()).toBeTruthy();
  await admin.dispose();

  await page.getByTestId("action-withdraw").click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("原因").fill("重复上报");
  await expectAccessible(page);
  await dialog.getByTestId("action-submit").click();
  await expect(dialog.getByTestId("action-error")).toBeVisible();
  await dialog.getByRole("button", { name: "取消" }).click();

  await page.reload();
  await expect(page.getByTestId("hazard-status")).toHaveAttribute("data-status", "rectifying");
  await page.getByTestId("action-withdraw").click();
  await dialog.getByLabel("原因").fill("重复上报");
  await dialog.getByTestId("action-submit").click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("hazard-status")).toHaveAttribute("data-status", "withdrawn");
  await expect(page.getByTestId("hazard-facts")).toContainText("重复上报");
});
