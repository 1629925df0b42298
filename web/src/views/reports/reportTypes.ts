// The JSON bodies of the reporting service's reports, as its API document declares them (generated types).
import type { components } from "@/api/generated/reporting";

type Schemas = components["schemas"];

export type MonthlyDispatchReport = Schemas["MonthlyDispatchReport"];
export type QuarterlyRankingReport = Schemas["QuarterlyRankingReport"];
export type HalfYearSummaryReport = Schemas["HalfYearSummaryReport"];

/** A report cell: a count, an exact decimal as a string, or null where a rate has no denominator. */
type Cell = Schemas["SummaryItem"]["value"];

/** A report cell as printed: null (no denominator) as "—". */
export function cellText(value: Cell | undefined): string {
  return value === null || value === undefined ? "—" : String(value);
}
