// Errors the services answer as RFC 9457 problem details (application/problem+json).

export interface ProblemFieldError {
  field: string;
  reason: string;
}

/** A problem+json answer turned into an exception: its status, title, detail and per-field errors. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: ProblemFieldError[];

  constructor(status: number, title: string, detail?: string, errors: ProblemFieldError[] = []) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = "ApiProblem";
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = errors;
  }

  /** The problem a failed response describes; a body that is not problem+json keeps the HTTP status. */
  static async fromResponse(response: Response): Promise<ApiProblem> {
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => null);
    if (body && typeof body === "object") {
      const problem = body as { title?: unknown; detail?: unknown; errors?: unknown };
      const errors = Array.isArray(problem.errors)
        ? problem.errors
            .filter((e): e is ProblemFieldError => typeof e?.field === "string" && typeof e?.reason === "string")
            .map(({ field, reason }) => ({ field, reason }))
        : [];
      return new ApiProblem(
        response.status,
        typeof problem.title === "string" ? problem.title : response.statusText,
        typeof problem.detail === "string" ? problem.detail : undefined,
        errors,
      );
    }
    return new ApiProblem(response.status, response.statusText || `HTTP ${response.status}`);
  }
}

/** A message for the user: the detail, or the title, with each field's reason. */
export function problemMessage(error: unknown): string {
  if (error instanceof ApiProblem) {
    const fields = error.errors.map((e) => `${e.field}：${e.reason}`).join("；");
    return [error.detail ?? error.title, fields].filter(Boolean).join("（") + (fields ? "）" : "");
  }
  return error instanceof Error ? error.message : String(error);
}
