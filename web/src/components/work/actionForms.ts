/**
 * Hazard action forms built from the API itself: which buttons come from a hazard's `allowed_actions`, and
 * each form's fields from that action's request schema in the hazard service's OpenAPI document.
 */
import { components as documented } from "../../../openapi/hazard.json";
import type { components, paths } from "../../api/generated/hazard";
import { isoToday } from "./labels";

type Schemas = components["schemas"];

/** A JSON Schema as the OpenAPI document writes it (the parts a form needs). */
export interface JsonSchema {
  type?: string;
  format?: string;
  enum?: string[];
  $ref?: string;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  maxLength?: number;
  minLength?: number;
  minItems?: number;
  title?: string;
  description?: string;
}

export interface ActionSpec {
  action: string;
  label: string;
  /** The POST path of the action (checked against the generated paths). */
  path: keyof paths;
  /** Its request body's schema (checked against the generated schemas). */
  schema: keyof Schemas;
  /** Buttons that undo or refuse are shown as such. */
  tone: "primary" | "warning" | "danger";
  /** Deciding a deferral names the pending request in the path. */
  deferral?: boolean;
}

function spec(
  action: string,
  label: string,
  path: keyof paths,
  schema: keyof Schemas,
  tone: ActionSpec["tone"] = "primary",
  deferral = false,
): ActionSpec {
  return { action, label, path, schema, tone, deferral };
}

/** Every action of the hazard state machines (the `allowed_actions` values), in the order buttons show. */
export const HAZARD_ACTIONS: readonly ActionSpec[] = [
  spec("judge", "判定", "/api/v1/hazards/{hazard_id}/judgment", "Judge"),
  spec("ledger", "登记台账", "/api/v1/hazards/{hazard_id}/ledger", "Ledger"),
  spec("list", "挂牌督办", "/api/v1/hazards/{hazard_id}/listing", "ListingCreate"),
  spec("accept_plan", "通过整改方案", "/api/v1/hazards/{hazard_id}/plan", "Plan"),
  spec("start_rectification", "开始整改", "/api/v1/hazards/{hazard_id}/rectification", "StartRectification"),
  spec("mark_rectified", "整改完成", "/api/v1/hazards/{hazard_id}/rectified", "MarkRectified"),
  spec("verify", "验收通过", "/api/v1/hazards/{hazard_id}/verification", "Verify"),
  spec(
    "reject_verification",
    "验收不通过",
    "/api/v1/hazards/{hazard_id}/verification-rejection",
    "RejectRectification",
    "warning",
  ),
  spec("request_deferral", "申请延期", "/api/v1/hazards/{hazard_id}/deferrals", "DeferralCreate", "warning"),
  spec(
    "approve_deferral",
    "批准延期",
    "/api/v1/hazards/{hazard_id}/deferrals/{deferral_id}/approval",
    "DeferralDecision",
    "primary",
    true,
  ),
  spec(
    "reject_deferral",
    "驳回延期",
    "/api/v1/hazards/{hazard_id}/deferrals/{deferral_id}/rejection",
    "DeferralDecision",
    "warning",
    true,
  ),
  spec("assess", "整改评估", "/api/v1/hazards/{hazard_id}/assessment", "Assess"),
  spec("apply_acceptance", "申请验收", "/api/v1/hazards/{hazard_id}/acceptance-application", "ApplyAcceptance"),
  spec("pass_review", "复核通过", "/api/v1/hazards/{hazard_id}/review", "Review"),
  spec("reject_review", "复核不通过", "/api/v1/hazards/{hazard_id}/review-rejection", "RejectRectification", "warning"),
  spec("close", "销号", "/api/v1/hazards/{hazard_id}/closure", "Close"),
  spec("withdraw", "撤回", "/api/v1/hazards/{hazard_id}/withdrawal", "Withdraw", "danger"),
];

/** The buttons a hazard shows: exactly its allowed actions (an action this console does not know is left out). */
export function actionsFor(allowed: readonly string[]): ActionSpec[] {
  return HAZARD_ACTIONS.filter((a) => allowed.includes(a.action));
}

export type FieldKind = "date" | "text" | "textarea" | "integer" | "money" | "select" | "list";

export interface FormField {
  name: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  maxLength?: number;
  options?: { value: string; label: string }[];
}

export type FormValues = Record<string, string>;

const FIELD_LABELS: Record<string, string> = {
  deadline: "整改期限",
  responsible_person: "责任人",
  note: "备注",
  rectified_on: "整改完成日期",
  funds_spent_fen: "实际投入资金（元）",
  verified_on: "验收日期",
  reason: "原因",
  standard_code: "判定标准编号",
  clause_code: "条款编号",
  standard_version: "标准版本",
  ledgered_on: "登记日期",
  ledger_number: "台账编号",
  level: "挂牌级别",
  document_number: "督办文号",
  listed_on: "挂牌日期",
  responsible_unit: "责任单位",
  handing_unit: "交办单位",
  supervising_unit: "督办单位",
  measures: "整改措施",
  funds_fen: "整改资金（元）",
  emergency_plan: "应急预案",
  requested_deadline: "申请延期至",
  assessment_kind: "评估方式",
  assessor: "评估单位",
  conclusion: "评估结论",
  assessed_on: "评估日期",
  applied_on: "申请日期",
  reviewed_on: "复核日期",
  reviewers: "复核人员（以逗号分隔）",
  opinion: "复核意见",
  closed_on: "销号日期",
};

const ENUM_LABELS: Record<string, Record<string, string>> = {
  AssessmentKind: { self: "企业自行评估", third_party: "第三方机构评估" },
};

const LONG_TEXT = 300;
const SCHEMAS = documented.schemas as unknown as Record<string, JsonSchema>;

function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf("/") + 1);
}

/** The schema a property holds, with `X | null` read as X and a $ref followed (keeping the enum's name). */
function resolve(schema: JsonSchema, schemas: Record<string, JsonSchema>): { schema: JsonSchema; name?: string } {
  const nonNull = schema.anyOf?.find((s) => s.type !== "null");
  if (nonNull) return resolve(nonNull, schemas);
  if (schema.$ref) {
    const name = refName(schema.$ref);
    return { schema: schemas[name] ?? {}, name };
  }
  return { schema };
}

function kindOf(name: string, schema: JsonSchema): FieldKind {
  if (schema.enum) return "select";
  if (schema.type === "array") return "list";
  if (schema.type === "integer") return name.endsWith("_fen") ? "money" : "integer";
  if (schema.format === "date") return "date";
  return (schema.maxLength ?? 0) > LONG_TEXT ? "textarea" : "text";
}

/** The form fields of a request schema, in the schema's order. `options` offers choices for plain strings. */
export function fieldsOf(
  schemaName: string,
  options: Record<string, { value: string; label: string }[]> = {},
  schemas: Record<string, JsonSchema> = SCHEMAS,
): FormField[] {
  const body = schemas[schemaName];
  if (!body?.properties) return [];
  const required = new Set(body.required ?? []);
  return Object.entries(body.properties).map(([name, property]) => {
    const { schema, name: enumName } = resolve(property, schemas);
    const enumLabels = (enumName && ENUM_LABELS[enumName]) || {};
    const choices = schema.enum?.map((value) => ({ value, label: enumLabels[value] ?? value })) ?? options[name];
    return {
      name,
      label: FIELD_LABELS[name] ?? property.title ?? name,
      kind: choices ? "select" : kindOf(name, schema),
      required: required.has(name),
      maxLength: schema.maxLength,
      options: choices,
    };
  });
}

/** A new form's values: the act's date (a required `*_on`) is today, everything else empty. */
export function initialValues(fields: readonly FormField[], today: Date = new Date()): FormValues {
  return Object.fromEntries(
    fields.map((f) => [f.name, f.kind === "date" && f.required && f.name.endsWith("_on") ? isoToday(today) : ""]),
  );
}

/** The required fields left empty, by name (the form shows their message; nothing is sent). */
export function missing(fields: readonly FormField[], values: FormValues): string[] {
  return fields.filter((f) => f.required && !(values[f.name] ?? "").trim()).map((f) => f.name);
}

function convert(field: FormField, raw: string): unknown {
  switch (field.kind) {
    case "money":
      // Yuan typed with up to two decimals; the API counts fen.
      return Math.round(Number(raw) * 100);
    case "integer":
      return Number.parseInt(raw, 10);
    case "list":
      return raw
        .split(/[,，、\n]/)
        .map((s) => s.trim())
        .filter(Boolean);
    default:
      return raw.trim();
  }
}

/** The request body of a filled form: empty optional fields are left out, money goes in fen. */
export function toBody(fields: readonly FormField[], values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = (values[field.name] ?? "").trim();
    if (raw) body[field.name] = convert(field, raw);
  }
  return body;
}
