// Steps the hazard specs share (W2): dates as the API writes them, and taking an action through its form.
import { expect, type Locator, type Page } from "@playwright/test";

/** The ISO date `days` from today. */
export function isoInDays(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Pick the first option an Element Plus select offers (its input names its list in aria-controls). */
export async function chooseFirst(page: Page, select: Locator): Promise<void> {
  // Element Plus lays its placeholder over the select's input; the click lands on the select all the same.
  await select.click({ force: true });
  const listbox = page.locator(`[id="${await select.getAttribute("aria-controls")}"]`);
  await listbox.getByRole("option").first().click();
  await expect(listbox).toBeHidden();
}

/**
 * Take an allowed action through its form: `fill` types into fields by label, `choose` picks the first option
 * of select fields by label; the act's date keeps its default (today).
 */
export async function act(
  page: Page,
  action: string,
  fill: Record<string, string> = {},
  choose: string[] = [],
): Promise<void> {
  await page.getByTestId(`action-${action}`).click();
  const dialog = page.getByRole("dialog");
  for (const label of choose) await chooseFirst(page, dialog.getByLabel(label));
  for (const [label, value] of Object.entries(fill)) await dialog.getByLabel(label).fill(value);
  await dialog.getByTestId("action-submit").click();
  await expect(dialog).toBeHidden();
}

/** Wait for the hazard on the page to reach a status. */
export async function expectStatus(page: Page, status: string): Promise<void> {
  await expect(page.getByTestId("hazard-status")).toHaveAttribute("data-status", status);
}
