// The JSON bodies of the reporting service's reports. The API documents these answers without a schema (one
// endpoint answers JSON, XLSX, CSV or PDF by `fmt`), so their shape is stated here, as the service builds it in
// reporting_service/reports/service.py.

type Cell = number | string | null;

interface ReportPeriod {
  date_from: string;
  date_to: string;
}

export interface MonthlyDispatchReport {
  title: string;
  period: ReportPeriod;
  columns: { code: string; heading: string }[];
  rows: { code: string; name: string; month: Record<string, Cell>; year_to_date: Record<string, Cell> }[];
}

export interface QuarterlyRankingReport {
  title: string;
  period: ReportPeriod;
  weights: { indicator: string; heading: string; weight: number }[];
  rows: {
    rank: number;
    code: string;
    name: string;
    score: string;
    breakdown: { indicator: string; heading: string; value: Cell; points: string }[];
  }[];
}

export interface HalfYearSummaryReport {
  title: string;
  period: ReportPeriod;
  sections: { code: string; title: string; items: { code: string; label: string; value: Cell; unit: string }[] }[];
}

/** A report cell as printed: null (no denominator) as "—". */
export function cellText(value: Cell | undefined): string {
  return value === null || value === undefined ? "—" : String(value);
}
