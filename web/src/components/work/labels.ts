/** Chinese labels of the values the hazard and enforcement APIs return (keyed by the generated enum types). */
import type { components as Enforcement } from "../../api/generated/enforcement";
import type { components as Hazard } from "../../api/generated/hazard";

type HazardSchemas = Hazard["schemas"];
type EnforcementSchemas = Enforcement["schemas"];

export const HAZARD_STATUS: Record<HazardSchemas["Status"], string> = {
  reported: "已上报",
  judged: "已判定",
  ledgered: "已登记台账",
  listed: "已挂牌督办",
  plan_accepted: "方案已通过",
  rectifying: "整改中",
  rectified: "已整改",
  verified: "已验收",
  assessed: "已评估",
  acceptance_applied: "已申请验收",
  reviewed: "已复核",
  closed: "已销号",
  withdrawn: "已撤回",
};

export const HAZARD_GRADE: Record<HazardSchemas["Grade"], string> = {
  general: "一般隐患",
  major: "重大隐患",
};

export const HAZARD_SOURCE: Record<HazardSchemas["HazardSource"], string> = {
  self_report: "企业自查",
  department_inspection: "部门检查",
  leader_inspection: "领导带队检查",
  resident_supervisor: "派驻监督员",
  complaint: "举报投诉",
  referral: "移交",
};

export const PHOTO_PHASE: Record<HazardSchemas["PhotoPhase"], string> = {
  before: "整改前",
  after: "整改后",
};

/** Timeline actions: the lifecycle actions plus the records that do not change the status. */
export const TIMELINE_ACTION: Record<string, string> = {
  report: "上报",
  start_rectification: "开始整改",
  mark_rectified: "整改完成",
  verify: "验收通过",
  reject_verification: "验收不通过",
  judge: "判定",
  ledger: "登记台账",
  list: "挂牌督办",
  accept_plan: "通过整改方案",
  request_deferral: "申请延期",
  approve_deferral: "批准延期",
  reject_deferral: "驳回延期",
  assess: "整改评估",
  apply_acceptance: "申请验收",
  pass_review: "复核通过",
  reject_review: "复核不通过",
  close: "销号",
  withdraw: "撤回",
  escalate: "升级督办",
  mark_overdue: "逾期",
  add_photo: "上传照片",
  publish_notice: "发布通报",
  sign_listing_receipt: "签收交办单",
};

export const CASE_STAGE: Record<EnforcementSchemas["Stage"], string> = {
  filed: "立案",
  investigation: "调查取证",
  legal_review: "法制审核",
  collective_discussion: "集体讨论",
  notified: "告知",
  hearing: "听证",
  decided: "决定",
  served: "送达",
  executed: "执行",
  closed: "结案",
  archived: "归档",
};

export const CASE_PROCEDURE: Record<EnforcementSchemas["Procedure"], string> = {
  general: "普通程序",
  simplified: "简易程序",
};

export const PENALTY_KIND: Record<EnforcementSchemas["ItemKind"], string> = {
  warning: "警告",
  fine: "罚款",
  confiscation: "没收违法所得",
  stop_production: "责令停产停业",
  licence_suspension: "暂扣许可证",
  licence_revocation: "吊销许可证",
  closure_referral: "提请关闭",
  detention_referral: "移送拘留",
};

export const CASE_OUTCOME: Record<EnforcementSchemas["Outcome"], string> = {
  penalty: "给予处罚",
  no_penalty: "不予处罚",
  transfer_judiciary: "移送司法",
};

export const INSPECTION_KIND: Record<EnforcementSchemas["InspectionKind"], string> = {
  routine: "日常检查",
  leader_led: "领导带队检查",
  joint: "联合检查",
  night_raid: "夜查",
  campaign: "专项检查",
  complaint: "举报核查",
  follow_up: "复查",
};

export const UNIT_TYPE: Record<EnforcementSchemas["UnitType"], string> = {
  department: "部门",
  township: "乡镇",
};

/** The four legal clocks of a case. */
export const CASE_CLOCK: Record<string, string> = {
  decide: "作出决定期限",
  hearing_request: "听证申请期限",
  service: "送达期限",
  payment: "缴款期限",
};

export const CLOCK_STATUS: Record<string, string> = {
  running: "计时中",
  nearing: "即将到期",
  overdue: "已超期",
};

/** A label, or the raw value when the API sends one this console does not know yet. */
export function label(labels: Record<string, string>, value: string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return labels[value] ?? value;
}

/** Fen as yuan with two decimals (the API keeps money in integer fen). */
export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return "—";
  return `${(fen / 100).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`;
}

/** Whole days from today (the browser's local date) to an ISO date; negative once it has passed. */
export function daysUntil(isoDate: string, today: Date = new Date()): number {
  const [y = 0, m = 1, d = 1] = isoDate.split("-").map(Number);
  const due = Date.UTC(y, m - 1, d);
  const now = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return Math.round((due - now) / 86_400_000);
}

/** "还剩 3 天", "今天到期" or "已超期 2 天". */
export function countdown(isoDate: string, today: Date = new Date()): string {
  const days = daysUntil(isoDate, today);
  if (days > 0) return `还剩 ${days} 天`;
  if (days === 0) return "今天到期";
  return `已超期 ${-days} 天`;
}

/** Today's local date as the API's ISO date. */
export function isoToday(today: Date = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`;
}
