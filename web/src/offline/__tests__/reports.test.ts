import { beforeEach, describe, expect, it, vi } from "vitest";

import { ApiProblem } from "@/api/client";
import type { OutboxEntry } from "../outbox";
import { RetryLater } from "../outbox";
import { sendReport, type QueuedReport } from "../reports";

const post = vi.fn();

vi.mock("@/api/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/api/client")>()),
  api: { hazard: { POST: (...args: unknown[]) => post(...args) } },
}));

function entry(photos: File[] = []): OutboxEntry<QueuedReport> {
  return {
    key: "report-key",
    kind: "hazard",
    createdAt: "2026-03-05T08:00:00Z",
    attempts: 1,
    payload: {
      body: {
        enterprise_id: "0b6f4a52-8a0e-4a59-9d4e-3f1c2b7d9e10",
        grade: "general",
        source: "department_inspection",
        description: "配电箱无防护",
        reported_on: "2026-03-05",
      },
      photos,
      enterpriseName: "洪江市某某公司",
    },
  };
}

function headerOf(call: unknown[]): string | undefined {
  const options = call[1] as { params: { header: Record<string, string> } };
  return options.params.header["Idempotency-Key"];
}

describe("sending a queued hazard report", () => {
  beforeEach(() => {
    post.mockReset();
  });

  it("reports under the entry's key and uploads each photo under a key derived from it", async () => {
    post.mockResolvedValueOnce({ data: { id: "hazard-1" } }).mockResolvedValue({ data: { id: "photo" } });
    const photos = [new File(["a"], "a.png", { type: "image/png" }), new File(["b"], "b.png", { type: "image/png" })];

    await sendReport(entry(photos));
    await sendReport(entry(photos));

    const paths = post.mock.calls.map((call) => call[0]);
    expect(paths.slice(0, 3)).toEqual([
      "/api/v1/hazards",
      "/api/v1/hazards/{hazard_id}/photos",
      "/api/v1/hazards/{hazard_id}/photos",
    ]);
    const keys = post.mock.calls.map(headerOf);
    expect(keys.slice(0, 3)).toEqual(["report-key", "report-key-photo-0", "report-key-photo-1"]);
    expect(keys.slice(3)).toEqual(keys.slice(0, 3));
  });

  it("waits for later when the server is unavailable or still answering the same key", async () => {
    for (const status of [409, 429, 503]) {
      post.mockRejectedValueOnce(new ApiProblem(status, "busy"));
      await expect(sendReport(entry())).rejects.toBeInstanceOf(RetryLater);
    }
  });

  it("gives up with the server's reason when a retry could not help", async () => {
    post.mockRejectedValueOnce(new ApiProblem(422, "Validation failed", "enterprise not found"));

    const sent = sendReport(entry());

    await expect(sent).rejects.toThrow("enterprise not found");
    await expect(sent).rejects.not.toBeInstanceOf(RetryLater);
  });

  it("lets a lost network show as the fetch error the outbox retries", async () => {
    post.mockRejectedValueOnce(new TypeError("Failed to fetch"));

    await expect(sendReport(entry())).rejects.toBeInstanceOf(TypeError);
  });
});
