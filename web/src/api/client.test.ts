import { describe, expect, it } from "vitest";
import { ApiProblem, consoleMiddleware, IDEMPOTENCY_HEADER, problemMessage, withIdempotencyKey } from "./client";

type Hook = NonNullable<ReturnType<typeof consoleMiddleware>["onRequest"]>;
type ResponseHook = NonNullable<ReturnType<typeof consoleMiddleware>["onResponse"]>;

function callRequest(token: string | null, init: RequestInit): Promise<Request> {
  const hook = consoleMiddleware(() => token).onRequest as Hook;
  const request = new Request("http://api.test/api/v1/hazards", init);
  return Promise.resolve(hook({ request } as Parameters<Hook>[0])) as Promise<Request>;
}

function callResponse(response: Response): Promise<unknown> {
  const hook = consoleMiddleware(() => null).onResponse as ResponseHook;
  return Promise.resolve(hook({ response } as Parameters<ResponseHook>[0]));
}

describe("console middleware", () => {
  it("sends the session's bearer token", async () => {
    const request = await callRequest("abc.def.ghi", { method: "GET" });
    expect(request.headers.get("Authorization")).toBe("Bearer abc.def.ghi");
  });

  it("sends no Authorization header when signed out", async () => {
    const request = await callRequest(null, { method: "GET" });
    expect(request.headers.has("Authorization")).toBe(false);
  });

  it("gives every write a fresh idempotency key and reads none", async () => {
    const first = await callRequest(null, { method: "POST", body: "{}" });
    const second = await callRequest(null, { method: "PATCH", body: "{}" });
    const read = await callRequest(null, { method: "GET" });
    expect(first.headers.get(IDEMPOTENCY_HEADER)).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers.get(IDEMPOTENCY_HEADER)).not.toBe(first.headers.get(IDEMPOTENCY_HEADER));
    expect(read.headers.has(IDEMPOTENCY_HEADER)).toBe(false);
  });

  it("keeps the caller's idempotency key, so a retry repeats the same write", async () => {
    const request = await callRequest(null, { method: "POST", ...withIdempotencyKey("retry-key-1") });
    expect(request.headers.get(IDEMPOTENCY_HEADER)).toBe("retry-key-1");
  });

  it("turns a problem+json answer into an ApiProblem with status, title and field errors", async () => {
    const body = {
      type: "about:blank",
      title: "Unprocessable Content",
      status: 422,
      detail: "请求参数无效",
      errors: [{ field: "deadline", reason: "不能早于发现日期" }],
    };
    const response = new Response(JSON.stringify(body), {
      status: 422,
      headers: { "Content-Type": "application/problem+json" },
    });
    const error = await callResponse(response).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiProblem);
    const problem = error as ApiProblem;
    expect(problem.status).toBe(422);
    expect(problem.title).toBe("Unprocessable Content");
    expect(problem.errors).toEqual([{ field: "deadline", reason: "不能早于发现日期" }]);
    expect(problemMessage(problem)).toBe("请求参数无效（deadline：不能早于发现日期）");
  });

  it("keeps the status of an error whose body is not JSON", async () => {
    const error = await callResponse(new Response("bad gateway", { status: 502, statusText: "Bad Gateway" })).catch(
      (e: unknown) => e,
    );
    expect((error as ApiProblem).status).toBe(502);
    expect((error as ApiProblem).title).toBe("Bad Gateway");
  });

  it("passes successful answers through", async () => {
    const response = new Response("{}", { status: 200 });
    expect(await callResponse(response)).toBe(response);
  });
});
