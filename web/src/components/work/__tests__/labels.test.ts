import { describe, expect, it } from "vitest";

import { countdown, daysUntil, isoToday, label, HAZARD_STATUS, yuan } from "../labels";

describe("deadlines counting down", () => {
  const today = new Date(2026, 2, 10, 23, 30);

  it("counts whole days from the local date, whatever the hour", () => {
    expect(daysUntil("2026-03-13", today)).toBe(3);
    expect(daysUntil("2026-03-10", today)).toBe(0);
    expect(daysUntil("2026-03-08", today)).toBe(-2);
    expect(daysUntil("2026-04-01", today)).toBe(22);
  });

  it("says how long is left, that it is due today, or how long it is overdue", () => {
    expect(countdown("2026-03-13", today)).toBe("还剩 3 天");
    expect(countdown("2026-03-10", today)).toBe("今天到期");
    expect(countdown("2026-03-08", today)).toBe("已超期 2 天");
  });

  it("writes today as the API's ISO date", () => {
    expect(isoToday(new Date(2026, 0, 5))).toBe("2026-01-05");
  });
});

describe("labels and money", () => {
  it("labels a known value in Chinese and shows an unknown one as it came", () => {
    expect(label(HAZARD_STATUS, "closed")).toBe("已销号");
    expect(label(HAZARD_STATUS, "archived_somehow")).toBe("archived_somehow");
    expect(label(HAZARD_STATUS, null)).toBe("—");
  });

  it("shows fen as yuan with two decimals", () => {
    expect(yuan(123456)).toBe("1,234.56 元");
    expect(yuan(0)).toBe("0.00 元");
    expect(yuan(null)).toBe("—");
  });
});
