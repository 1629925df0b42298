// Every screen passes axe-core; each role's navigation offers only the screens its API calls admit.
import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./fixtures";

const SCREENS = [
  { path: "/dashboard", heading: "驾驶舱" },
  { path: "/hazards", heading: "隐患台账" },
  { path: "/cases", heading: "执法案件" },
  { path: "/inspections", heading: "执法检查" },
  { path: "/supervisors", heading: "派驻监督员" },
  { path: "/reports", heading: "报表" },
];

const NAVIGATION: Record<string, string[]> = {
  "city-admin": ["驾驶舱", "隐患台账", "执法案件", "执法检查", "派驻监督员", "报表"],
  "township-officer": ["驾驶舱", "隐患台账", "执法案件", "执法检查", "派驻监督员", "报表", "现场上报"],
  supervisor: ["隐患台账", "派驻监督员", "现场上报"],
  enterprise: ["隐患台账", "现场上报"],
};

test.describe("desktop", () => {
  test.beforeEach(({}, testInfo) => {
    test.skip(testInfo.project.name !== "desktop", "desktop size");
  });

  test("the sign-in screen is accessible", async ({ page }) => {
    await page.goto("/signin");
    await expect(page.getByTestId("signin-city-admin")).toBeVisible();
    await expectAccessible(page);
  });

  for (const screen of SCREENS) {
    test(`${screen.heading} (${screen.path}) is accessible`, async ({ page }) => {
      await signIn(page, "city-admin");
      await page.goto(screen.path);
      await expect(page.getByRole("heading", { level: 1, name: screen.heading })).toBeVisible();
      await page.waitForLoadState("networkidle");
      await expectAccessible(page);
    });
  }

  for (const [user, items] of Object.entries(NAVIGATION)) {
    test(`${user} is offered exactly the screens of their role`, async ({ page }) => {
      await signIn(page, user);
      await expect(page.getByRole("navigation", { name: "主导航" }).getByRole("link")).toHaveText(items);
    });
  }

  test("a screen outside the role's reach sends the user to their first screen", async ({ page }) => {
    await signIn(page, "enterprise");
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/field$/);
  });

  test("signed out, any screen asks to sign in first and returns there after", async ({ page }) => {
    await page.goto("/reports");
    await expect(page).toHaveURL(/\/signin\?redirect=/);
    await page.getByTestId("signin-city-admin").click();
    await expect(page).toHaveURL(/\/reports$/);
  });
});

test.describe("phone", () => {
  test.beforeEach(({}, testInfo) => {
    test.skip(testInfo.project.name !== "phone", "phone size");
  });

  test("the dashboard is accessible at phone size", async ({ page }) => {
    await signIn(page, "city-admin");
    await page.goto("/dashboard");
    await expect(page.getByTestId("figure-found")).toBeVisible();
    await page.waitForLoadState("networkidle");
    await expectAccessible(page);
  });
});
