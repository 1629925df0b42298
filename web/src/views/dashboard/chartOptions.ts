// ECharts options of the dashboard's charts, built from the API's figures (kept free of ECharts imports so the
// library itself stays in its on-demand chunk).
import type { EChartsCoreOption } from "echarts/core";
import type { Breakdown } from "./figures";
import type { TrendPoint } from "./dashboardData";

const COLORS = ["#0b3d91", "#2f9e44", "#d9480f"];

/** Hazards found and rectified and cases filed, month by month. */
export function trendOption(points: TrendPoint[]): EChartsCoreOption {
  return {
    color: COLORS,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: "category", data: points.map((p) => p.month) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "发现隐患", type: "line", data: points.map((p) => p.found) },
      { name: "整改隐患", type: "line", data: points.map((p) => p.rectified) },
      { name: "立案查处", type: "line", data: points.map((p) => p.casesFiled) },
    ],
  };
}

/** Hazards found and rectified per township or department. */
export function breakdownOption(breakdown: Breakdown): EChartsCoreOption {
  const rows = breakdown.rows;
  return {
    color: COLORS,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 64 },
    xAxis: { type: "category", data: rows.map((r) => r.name), axisLabel: { rotate: 40, interval: 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "发现隐患", type: "bar", data: rows.map((r) => r.hazards.found) },
      { name: "已整改", type: "bar", data: rows.map((r) => r.hazards.rectified) },
    ],
  };
}
