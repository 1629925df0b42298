// The dashboard's reads of the reporting API, for one period and jurisdiction.
import { api } from "@/api/client";
import type { components as ReportingSchemas } from "@/api/generated/reporting";
import { isoDate } from "@/format";
import type { Breakdown, Freshness, Statistics } from "./figures";

export type PeriodKind = Exclude<ReportingSchemas["schemas"]["PeriodKind"], "day" | "custom" | "since_campaign">;

export const PERIOD_LABELS: Record<PeriodKind, string> = {
  month: "月度",
  quarter: "季度",
  half_year: "半年",
  year: "年度",
};

export interface DashboardQuery {
  kind: PeriodKind;
  /** The first day of the month the period contains. */
  month: Date;
  /** Only this township (12-digit code); "" for everything the caller may see. */
  townshipCode: string;
}

export interface TrendPoint {
  month: string;
  found: number;
  rectified: number;
  casesFiled: number;
}

export interface RankingRow {
  rank: number;
  code: string;
  name: string;
  score: string | number;
}

function query(q: DashboardQuery, kind: PeriodKind = q.kind, day: Date = q.month) {
  return { period: kind, date: isoDate(day), ...(q.townshipCode ? { township_code: q.townshipCode } : {}) };
}

/** Every figure of the period. */
export async function loadStatistics(q: DashboardQuery): Promise<Statistics> {
  const { data } = await api.reporting.GET("/api/v1/statistics", { params: { query: query(q) } });
  return data as Statistics;
}

/** How current the figures are. */
export async function loadFreshness(): Promise<Freshness> {
  const { data } = await api.reporting.GET("/api/v1/statistics/freshness");
  return data as Freshness;
}

/** The figures per township or per department. */
export async function loadBreakdown(q: DashboardQuery, by: "township" | "department"): Promise<Breakdown> {
  const { data } = await api.reporting.GET("/api/v1/statistics/breakdown", {
    params: { query: { ...query(q), by } },
  });
  return data as Breakdown;
}

/** The twelve months up to the chosen one: hazards found and rectified, cases filed. */
export async function loadTrend(q: DashboardQuery): Promise<TrendPoint[]> {
  const months = Array.from({ length: 12 }, (_, i) => new Date(q.month.getFullYear(), q.month.getMonth() - 11 + i, 1));
  const figures = await Promise.all(months.map((month) => loadStatistics({ ...q, kind: "month", month })));
  return figures.map((f, i) => ({
    month: `${months[i]!.getFullYear()}-${String(months[i]!.getMonth() + 1).padStart(2, "0")}`,
    found: f.hazards.found,
    rectified: f.hazards.rectified_in_period,
    casesFiled: f.enforcement.cases_filed,
  }));
}

/** The quarterly ranking (一季一排名) of the quarter containing the chosen month. */
export async function loadRanking(q: DashboardQuery, by: "township" | "department"): Promise<RankingRow[]> {
  const { data } = await api.reporting.GET("/api/v1/reports/quarterly-ranking", {
    params: { query: { year: q.month.getFullYear(), quarter: Math.floor(q.month.getMonth() / 3) + 1, by } },
  });
  return ((data as { rows?: RankingRow[] } | undefined)?.rows ?? []).map(({ rank, code, name, score }) => ({
    rank,
    code,
    name,
    score,
  }));
}
