// The hazard API calls the work screens share: a hazard with its records, an action, a photo upload.
import { api } from "@/api/client";
import type { components } from "@/api/generated/hazard";
import { config } from "@/config";
import type { ActionSpec } from "./actionForms";

export type Schemas = components["schemas"];
export type HazardRead = Schemas["HazardRead"];
export type HazardSummary = Schemas["HazardSummary"];
export type PhotoRead = Schemas["PhotoRead"];
export type TimelineEntry = Schemas["TimelineEntryRead"];
export type DeferralRead = Schemas["DeferralRead"];
export type ListingRead = Schemas["ListingRead"];
export type PhotoPhase = Schemas["PhotoPhase"];

/** The If-Match of a hazard version (the ETag the API sends with it). */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** One hazard as the caller may see it. */
export async function loadHazard(id: string): Promise<HazardRead> {
  const { data } = await api.hazard.GET("/api/v1/hazards/{hazard_id}", { params: { path: { hazard_id: id } } });
  return data!;
}

/** The records shown with a hazard: timeline, photos, deferrals, and the listing when it is listed. */
export async function loadRecords(hazard: HazardRead): Promise<{
  timeline: TimelineEntry[];
  photos: PhotoRead[];
  deferrals: DeferralRead[];
  listing: ListingRead | null;
}> {
  const path = { hazard_id: hazard.id };
  const [timeline, photos, deferrals, listing] = await Promise.all([
    api.hazard.GET("/api/v1/hazards/{hazard_id}/timeline", { params: { path } }),
    api.hazard.GET("/api/v1/hazards/{hazard_id}/photos", { params: { path } }),
    hazard.grade === "major"
      ? api.hazard.GET("/api/v1/hazards/{hazard_id}/deferrals", { params: { path } }).then((r) => r.data?.items ?? [])
      : Promise.resolve([]),
    hazard.listed
      ? api.hazard.GET("/api/v1/hazards/{hazard_id}/listing", { params: { path } }).then((r) => r.data ?? null)
      : Promise.resolve(null),
  ]);
  return { timeline: timeline.data?.items ?? [], photos: photos.data?.items ?? [], deferrals, listing };
}

/**
 * Take an action on a hazard as of the version the user saw (If-Match), under the key of this attempt
 * (Idempotency-Key: the form keeps it across retries, so a retry after a lost answer changes nothing twice).
 */
export async function takeAction(
  hazard: HazardRead,
  spec: ActionSpec,
  body: Record<string, unknown>,
  key: string,
  deferralId?: string,
): Promise<void> {
  // Every action path takes the same headers; the body was built from that action's own schema.
  const path = spec.path as "/api/v1/hazards/{hazard_id}/closure";
  const ids = deferralId ? { hazard_id: hazard.id, deferral_id: deferralId } : { hazard_id: hazard.id };
  await api.hazard.POST(path, {
    params: { path: ids, header: { "If-Match": etagOf(hazard.version), "Idempotency-Key": key } },
    body: body as Schemas["Close"],
  });
}

/** Upload one photo of a hazard (the same key on a retry stores it once). */
export async function uploadPhoto(hazardId: string, phase: PhotoPhase, file: Blob, key: string): Promise<PhotoRead> {
  const name = file instanceof File ? file.name : "photo";
  const { data } = await api.hazard.POST("/api/v1/hazards/{hazard_id}/photos", {
    params: { path: { hazard_id: hazardId }, header: { "Idempotency-Key": key } },
    body: { phase, file: name },
    bodySerializer: () => {
      const form = new FormData();
      form.append("phase", phase);
      form.append("file", file, name);
      return form;
    },
  });
  return data!;
}

/** The key of the n-th photo of a piece of work, derived from the work's own key so a retry reuses it. */
export function photoKey(key: string, index: number): string {
  return `${key}-photo-${index}`;
}

/** A photo URL for an <img>: the API signs a path on its own origin, which may not be the console's. */
export function photoSrc(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  return url.startsWith("/") ? `${config().services.hazard}${url}` : url;
}
