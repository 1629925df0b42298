// A major hazard through every step of its lifecycle with the buttons, each step by the role that may take it:
// the city administrator judges (standard and clause offered by the API), enters it in the ledger, accepts the
// plan and starts rectification; the township officer, for the enterprise, assesses and applies for acceptance;
// the city administrator passes the on-site review and closes it.
import { expect, test, type Page } from "@playwright/test";
import { apiAs, expectAccessible, signIn } from "./fixtures";
import { act, expectStatus, isoInDays } from "./hazard-steps";

test.beforeEach(({}, info) => test.skip(info.project.name !== "desktop", "a major hazard's file is a desktop screen"));

/** Sign in as another demo user (the sign-in replaces the tab's session) and open the hazard. */
async function openAs(page: Page, user: string, path: string): Promise<void> {
  await signIn(page, user);
  await page.goto(path);
}

test("a major hazard goes from report to closure, each step by its role", async ({ page }) => {
  // Fourteen steps by three sign-ins: longer than one screen's test on a busy machine.
  test.setTimeout(180_000);
  const officer = await apiAs("township-officer");
  const listed = await officer.get(officer.url("supervisor", "/api/v1/enterprises?limit=1"));
  const { items } = (await listed.json()) as { items: { id: string }[] };
  const description = `E2E 重大隐患 液氨储罐无泄漏报警 ${Date.now()}`;
  const reported = await officer.post(officer.url("hazard", "/api/v1/hazards"), {
    data: {
      enterprise_id: items[0]!.id,
      grade: "major",
      source: "department_inspection",
      description,
      reported_on: isoInDays(0),
    },
  });
  expect(reported.status(), await reported.text()).toBe(201);
  const { id } = (await reported.json()) as { id: string };
  await officer.dispose();
  const path = `/hazards/${id}`;

  // Judging is a decision of the city or a department: the township officer is offered no such button.
  await openAs(page, "township-officer", path);
  await expectStatus(page, "reported");
  await expect(page.getByTestId("action-withdraw")).toBeVisible();
  await expect(page.getByTestId("action-judge")).toHaveCount(0);

  await openAs(page, "city-admin", path);
  await act(page, "judge", {}, ["判定标准编号", "条款编号"]);
  await expectStatus(page, "judged");
  await act(page, "ledger");
  await expectStatus(page, "ledgered");
  await act(page, "accept_plan", {
    整改措施: "加装泄漏报警与紧急切断装置",
    "整改资金（元）": "85000",
    整改期限: isoInDays(30),
    责任人: "李厂长",
    应急预案: "液氨泄漏现场处置方案",
  });
  await expectStatus(page, "plan_accepted");
  await act(page, "start_rectification");
  await expectStatus(page, "rectifying");
  await expectAccessible(page);

  await openAs(page, "township-officer", path);
  await act(page, "assess", { 评估单位: "湖南某安全评价公司", 评估结论: "整改到位，报警装置运行正常" }, ["评估方式"]);
  await expectStatus(page, "assessed");
  await act(page, "apply_acceptance");
  await expectStatus(page, "acceptance_applied");
  await expect(page.getByTestId("action-pass_review")).toHaveCount(0);

  await openAs(page, "city-admin", path);
  await act(page, "pass_review", { "复核人员（以逗号分隔）": "张明，李华", 复核意见: "现场复核合格" });
  await expectStatus(page, "reviewed");
  await act(page, "close");
  await expectStatus(page, "closed");
  await expect(page.getByTestId("hazard-actions").getByRole("button")).toHaveCount(0);
  await expect(page.getByTestId("timeline")).toContainText("复核通过");
});
