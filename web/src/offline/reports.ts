// Hazard reports from the field page go through the outbox: kept on the phone until the hazard service has
// them, with their photos, and sent under the same Idempotency-Key however many times it takes.
import { api, ApiProblem, problemMessage } from "@/api/client";
import type { components } from "@/api/generated/hazard";
import { photoKey, uploadPhoto } from "@/components/work/hazardApi";
import { indexedDbStore, memoryStore, Outbox, RetryLater, type OutboxEntry } from "./outbox";

export interface QueuedReport {
  body: components["schemas"]["HazardCreate"];
  /** Photos of the hazard as found (IndexedDB keeps the files themselves). */
  photos: File[];
  /** What the queue shows: the enterprise's name. */
  enterpriseName: string;
}

// Worth another try later: the server was unreachable, busy, or still answering the same key.
const TRANSIENT = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

/** Send one queued report and its photos; a refusal that a retry cannot fix becomes a plain Error. */
export async function sendReport(entry: OutboxEntry<QueuedReport>): Promise<void> {
  try {
    const { data } = await api.hazard.POST("/api/v1/hazards", {
      params: { header: { "Idempotency-Key": entry.key } },
      body: entry.payload.body,
    });
    for (const [index, photo] of entry.payload.photos.entries()) {
      await uploadPhoto(data!.id, "before", photo, photoKey(entry.key, index));
    }
  } catch (error) {
    if (error instanceof ApiProblem) {
      throw TRANSIENT.has(error.status) ? new RetryLater(problemMessage(error)) : new Error(problemMessage(error));
    }
    throw error;
  }
}

const outboxes = new Map<string, Outbox<QueuedReport>>();

/** The outbox of a signed-in user's reports (each user's queue is their own). */
export function reportOutbox(user: string): Outbox<QueuedReport> {
  let outbox = outboxes.get(user);
  if (!outbox) {
    const store =
      typeof indexedDB === "undefined"
        ? memoryStore<QueuedReport>()
        : indexedDbStore<QueuedReport>(`safety-outbox-${user}`);
    outbox = new Outbox(store, sendReport);
    outboxes.set(user, outbox);
  }
  return outbox;
}
