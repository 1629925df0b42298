import { describe, expect, it } from "vitest";

import { actionsFor, fieldsOf, HAZARD_ACTIONS, initialValues, missing, toBody } from "../actionForms";

describe("hazard action buttons", () => {
  it("offers exactly the actions the hazard allows, in the lifecycle's order", () => {
    const actions = actionsFor(["withdraw", "start_rectification"]);

    expect(actions.map((a) => a.label)).toEqual(["开始整改", "撤回"]);
    expect(actions.map((a) => a.path)).toEqual([
      "/api/v1/hazards/{hazard_id}/rectification",
      "/api/v1/hazards/{hazard_id}/withdrawal",
    ]);
  });

  it("offers nothing for a hazard that allows nothing, and skips an action it does not know", () => {
    expect(actionsFor([])).toEqual([]);
    expect(actionsFor(["teleport", "close"]).map((a) => a.action)).toEqual(["close"]);
  });

  it("has a form schema in the hazard API's document for every action", () => {
    for (const action of HAZARD_ACTIONS) {
      expect(fieldsOf(action.schema).length, action.action).toBeGreaterThan(0);
    }
  });
});

describe("hazard action forms", () => {
  it("builds the fields of an action from its request schema", () => {
    const fields = fieldsOf("Verify");

    expect(fields).toEqual([
      expect.objectContaining({ name: "verified_on", label: "验收日期", kind: "date", required: true }),
      expect.objectContaining({ name: "note", label: "备注", kind: "textarea", required: false }),
    ]);
  });

  it("reads enums as choices with Chinese labels, fen as yuan and lists as text", () => {
    const byName = Object.fromEntries(fieldsOf("Assess").map((f) => [f.name, f]));

    expect(byName.assessment_kind).toMatchObject({
      kind: "select",
      options: [
        { value: "self", label: "企业自行评估" },
        { value: "third_party", label: "第三方机构评估" },
      ],
    });
    expect(byName.funds_spent_fen).toMatchObject({ kind: "money", required: false });
    expect(fieldsOf("Review").find((f) => f.name === "reviewers")).toMatchObject({ kind: "list", required: true });
  });

  it("offers configured choices for a plain string field", () => {
    const levels = [{ value: "city", label: "市级挂牌" }];

    const level = fieldsOf("ListingCreate", { level: levels }).find((f) => f.name === "level");

    expect(level).toMatchObject({ kind: "select", options: levels });
  });

  it("starts the act's date at today and leaves other fields empty", () => {
    const values = initialValues(fieldsOf("RejectRectification"), new Date(2026, 2, 5));
    expect(values).toEqual({ reason: "", deadline: "" });

    expect(initialValues(fieldsOf("Close"), new Date(2026, 2, 5))).toEqual({ closed_on: "2026-03-05", note: "" });
  });

  it("names the required fields left empty", () => {
    const fields = fieldsOf("RejectRectification");

    expect(missing(fields, { reason: " ", deadline: "2026-04-01" })).toEqual(["reason"]);
    expect(missing(fields, { reason: "整改不到位", deadline: "2026-04-01" })).toEqual([]);
  });

  it("sends what was filled in, money in fen, lists split, empty optional fields left out", () => {
    const body = toBody(fieldsOf("Assess"), {
      assessment_kind: "third_party",
      assessor: " 湖南安评中心 ",
      conclusion: "整改到位",
      assessed_on: "2026-03-05",
      funds_spent_fen: "1234.56",
    });
    expect(body).toEqual({
      assessment_kind: "third_party",
      assessor: "湖南安评中心",
      conclusion: "整改到位",
      assessed_on: "2026-03-05",
      funds_spent_fen: 123456,
    });

    const review = toBody(fieldsOf("Review"), {
      reviewed_on: "2026-03-06",
      reviewers: "张三，李四、王五",
      opinion: "",
    });
    expect(review).toEqual({ reviewed_on: "2026-03-06", reviewers: ["张三", "李四", "王五"] });
  });
});
