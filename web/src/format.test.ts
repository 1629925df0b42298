import { describe, expect, it } from "vitest";
import { formatCount, formatDateTime, formatFraction, formatRate, formatWanYuan, isoDate } from "./format";

describe("figure formatting", () => {
  it("prints rates exactly as the API rounded them", () => {
    expect(formatRate("85.50")).toBe("85.50%");
    expect(formatRate("100.00")).toBe("100.00%");
    expect(formatRate(null)).toBe("—");
  });

  it("prints 万元 amounts without trailing zeros, never re-rounded", () => {
    expect(formatWanYuan("12.5000")).toBe("12.5 万元");
    expect(formatWanYuan("0.0001")).toBe("0.0001 万元");
    expect(formatWanYuan("3.0000")).toBe("3 万元");
    expect(formatWanYuan("0")).toBe("0 万元");
  });

  it("prints fractions (the supervisor service's coverage) as percentages", () => {
    expect(formatFraction("0.8522")).toBe("85.22%");
    expect(formatFraction("1.0000")).toBe("100.00%");
    expect(formatFraction("0.0005")).toBe("0.05%");
    expect(formatFraction(null)).toBe("—");
  });

  it("groups counts", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCount(0)).toBe("0");
    expect(formatCount(undefined)).toBe("—");
  });

  it("shows instants in the regulator's zone", () => {
    expect(formatDateTime("2026-12-03T09:05:00Z")).toBe("2026-12-03 17:05");
  });

  it("writes calendar days as ISO dates", () => {
    expect(isoDate(new Date(2026, 0, 5))).toBe("2026-01-05");
  });
});
