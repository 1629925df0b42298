// The figures the dashboard shows, each named by the reporting API's field, with its label and format.
import type { components } from "@/api/generated/reporting";
import { formatCount, formatRate, formatWanYuan } from "../../format";

export type Statistics = components["schemas"]["StatisticsRead"];
export type Breakdown = components["schemas"]["BreakdownRead"];
export type Freshness = components["schemas"]["FreshnessRead"];

type Group = "hazards" | "enforcement" | "supervisors";

export interface FigureSpec<G extends Group = Group> {
  group: G;
  field: keyof Statistics[G] & string;
  label: string;
  format: "count" | "rate" | "wan";
}

export interface FigureSection {
  title: string;
  figures: FigureSpec[];
}

const hazards = (field: keyof Statistics["hazards"] & string, label: string, format: FigureSpec["format"] = "count") =>
  ({ group: "hazards", field, label, format }) as FigureSpec;
const enforcement = (
  field: keyof Statistics["enforcement"] & string,
  label: string,
  format: FigureSpec["format"] = "count",
) => ({ group: "enforcement", field, label, format }) as FigureSpec;
const supervisors = (
  field: keyof Statistics["supervisors"] & string,
  label: string,
  format: FigureSpec["format"] = "count",
) => ({ group: "supervisors", field, label, format }) as FigureSpec;

export const SECTIONS: FigureSection[] = [
  {
    title: "隐患排查治理",
    figures: [
      hazards("found", "发现隐患"),
      hazards("rectified", "已整改"),
      hazards("rectification_rate", "整改率", "rate"),
      hazards("general_found", "一般隐患"),
      hazards("general_rectified", "一般隐患已整改"),
      hazards("general_rectification_rate", "一般隐患整改率", "rate"),
      hazards("major_found", "重大隐患"),
      hazards("major_rectified", "重大隐患已整改"),
      hazards("major_rectification_rate", "重大隐患整改率", "rate"),
      hazards("major_listed", "挂牌督办"),
      hazards("overdue", "逾期未整改"),
    ],
  },
  {
    title: "监管执法",
    figures: [
      enforcement("inspections", "执法检查"),
      enforcement("cases_filed", "立案查处"),
      enforcement("fines_wan_yuan", "罚款金额", "wan"),
      enforcement("stop_orders", "停产停业整顿"),
    ],
  },
  {
    title: "派驻监督员",
    figures: [
      supervisors("active", "在岗监督员"),
      supervisors("enterprises_covered_3plus", "已覆盖企业（3人以上）"),
      supervisors("coverage_rate_3plus", "覆盖率（3人以上企业）", "rate"),
      supervisors("visits", "走访次数"),
    ],
  },
];

const LISTING_LEVELS: Record<string, string> = { city: "市级挂牌", county: "县级挂牌", township: "乡镇挂牌" };

/** A listing level's Chinese name (the API's code when it is not known here). */
export function listingLevelLabel(level: string): string {
  return LISTING_LEVELS[level] ?? level;
}

/** A figure's text as the dashboard prints it. */
export function figureText(statistics: Statistics, spec: FigureSpec): string {
  const value = (statistics[spec.group] as Record<string, unknown>)[spec.field] as string | number | null;
  if (spec.format === "rate") return formatRate(value);
  if (spec.format === "wan") return formatWanYuan(value);
  return formatCount(value as number | null);
}

/** When the figures were last current: the check time when no topic lags, else the oldest applied event. */
export function figuresAsOf(freshness: Freshness): string {
  const lagging = freshness.topics.filter((t) => t.lag_messages !== 0);
  if (lagging.length === 0) return freshness.checked_at;
  const applied = lagging.map((t) => t.last_applied_at).filter((t): t is string => !!t);
  return applied.length ? applied.reduce((a, b) => (a < b ? a : b)) : freshness.checked_at;
}
