// The phone-sized field page: a township officer reports a hazard with a photo from the camera, takes it
// through rectification and acceptance to closure with the buttons; another township never sees it; a report
// made offline waits as 待发送 and is sent when the network returns.
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { apiAs, expectAccessible, signIn } from "./fixtures";
import { act, chooseFirst, expectStatus, isoInDays } from "./hazard-steps";

const PHOTO = {
  name: "hazard.png",
  mimeType: "image/png",
  buffer: readFileSync(new URL("./field-photo.png", import.meta.url)),
};

test.beforeEach(({}, info) => test.skip(info.project.name !== "phone", "the field page is the phone's"));

/** Fill the report form (first enterprise offered, a unique description) without sending it. */
async function fillReport(page: Page, description: string): Promise<void> {
  await page.goto("/field");
  await chooseFirst(page, page.getByRole("combobox", { name: "企业", exact: true }));
  await page.getByTestId("report-description").fill(description);
  await page.getByLabel("建议整改期限").fill(isoInDays(10));
}

test("a township officer reports with a photo and closes the hazard; another township cannot see it", async ({
  page,
}) => {
  // A whole lifecycle and a second sign-in: longer than one screen's test on a busy machine.
  test.setTimeout(180_000);
  const description = `E2E 配电箱无防护 ${Date.now()}`;
  await signIn(page, "township-officer");
  await fillReport(page, description);
  await page.getByTestId("report-photos").setInputFiles(PHOTO);
  await expectAccessible(page);
  await page.getByTestId("report-submit").click();

  const mine = page.getByTestId("my-hazard").filter({ hasText: description });
  await expect(mine).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("outbox")).toBeHidden();
  await mine.click();
  await expect(page.getByTestId("hazard-title")).toHaveText(description);
  await expect(page.getByTestId("photo-thumbnail")).toHaveCount(1);
  await expectStatus(page, "reported");
  await expectAccessible(page);
  const hazardUrl = new URL(page.url()).pathname;

  await act(page, "start_rectification", { 整改期限: isoInDays(7), 责任人: "张工" });
  await expectStatus(page, "rectifying");

  await page.getByTestId("photo-input").setInputFiles({ ...PHOTO, name: "rectified.png" });
  await page.getByTestId("photo-upload").click();
  await expect(page.getByTestId("photo-thumbnail")).toHaveCount(2);
  await act(page, "mark_rectified", { "实际投入资金（元）": "1200.50" });
  await expectStatus(page, "rectified");

  await act(page, "verify");
  await expectStatus(page, "verified");
  await act(page, "close");
  await expectStatus(page, "closed");
  await expect(page.getByTestId("hazard-status")).toHaveText("已销号");
  await expect(page.getByTestId("hazard-actions").getByRole("button")).toHaveCount(0);
  await expect(page.getByTestId("timeline")).toContainText("销号");

  await page.getByTestId("sign-out").click();
  await signIn(page, "township-officer-2");
  const hazardId = hazardUrl.split("/").pop()!;
  await page.goto("/field");
  await expect(page.getByTestId("my-hazards")).toBeVisible();
  await expect(page.getByText(description)).toHaveCount(0);
  await page.goto(`/hazards?status=closed`);
  await expect(page.getByTestId("ledger-total")).toBeVisible();
  await expect(page.getByText(description)).toHaveCount(0);
  await page.goto(`/hazards?enterprise_id=${await enterpriseOf(hazardId)}`);
  await expect(page.getByTestId("ledger-table")).toContainText("没有符合条件的隐患");
  for (const path of [hazardUrl, `/hazards/${hazardId}`]) {
    await page.goto(path);
    await expect(page.getByTestId("not-found")).toBeVisible();
    await expect(page.getByText(description)).toHaveCount(0);
  }
});

/** The enterprise of a hazard, asked as the city administrator (who sees every township). */
async function enterpriseOf(hazardId: string): Promise<string> {
  const admin = await apiAs("city-admin");
  const response = await admin.get(admin.url("hazard", `/api/v1/hazards/${hazardId}`));
  expect(response.ok()).toBeTruthy();
  const { enterprise_id } = (await response.json()) as { enterprise_id: string };
  await admin.dispose();
  return enterprise_id;
}

test("a report made offline with a photo waits as 待发送 and is sent when the network returns", async ({
  page,
  context,
}) => {
  const description = `E2E 离线上报 ${Date.now()}`;
  await signIn(page, "township-officer");
  await fillReport(page, description);
  await page.getByTestId("report-photos").setInputFiles(PHOTO);

  await context.setOffline(true);
  await page.getByTestId("report-submit").click();
  const waiting = page.getByTestId("outbox-entry").filter({ hasText: description });
  await expect(waiting).toContainText("待发送");
  await expectAccessible(page);

  await context.setOffline(false);
  await expect(waiting).toHaveCount(0, { timeout: 30_000 });
  const sent = page.getByTestId("my-hazard").filter({ hasText: description });
  await expect(sent).toHaveCount(1, { timeout: 20_000 });
  // The photo was kept on the phone with the report and went up after it.
  await sent.click();
  await expect(page.getByTestId("photo-thumbnail")).toHaveCount(1);
});
