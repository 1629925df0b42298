// How the console prints the API's figures: rates and 万元 amounts exactly as the API rounded them.

const NUMBER = new Intl.NumberFormat("zh-CN");

/** A count with thousands separators (1234 -> "1,234"). */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : NUMBER.format(value);
}

/** A percentage as the API gives it (already rounded to 2 decimals); null (no denominator) prints "—". */
export function formatRate(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === "" ? "—" : `${value}%`;
}

/** An amount in 万元 as the API gives it, trailing zeros of its 4 decimals dropped ("12.5000" -> "12.5 万元"). */
export function formatWanYuan(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const text = String(value);
  const trimmed = text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
  return `${trimmed} 万元`;
}

/** A date-time in the regulator's zone, to the minute ("2026-12-03 17:05"). */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return "—";
  const parts = new Intl.DateTimeFormat("zh-CN", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(typeof value === "string" ? new Date(value) : value);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}`;
}

/** The ISO date (YYYY-MM-DD) of a calendar day, without time-zone shifts. */
export function isoDate(day: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/** A share the API gives as a fraction with 4 decimals ("0.8522"), printed as a percentage ("85.22%"). */
export function formatFraction(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  return `${(Number(value) * 100).toFixed(2)}%`;
}
