// One hazard and its records, loaded together and reloaded after every change (the desktop and field pages).
import { ref, watch, type Ref } from "vue";
import { ApiProblem, problemMessage } from "@/api/client";
import {
  loadHazard,
  loadRecords,
  type DeferralRead,
  type HazardRead,
  type ListingRead,
  type PhotoRead,
  type TimelineEntry,
} from "./hazardApi";

export function useHazard(id: Ref<string>) {
  const hazard = ref<HazardRead | null>(null);
  const timeline = ref<TimelineEntry[]>([]);
  const photos = ref<PhotoRead[]>([]);
  const deferrals = ref<DeferralRead[]>([]);
  const listing = ref<ListingRead | null>(null);
  // A hazard outside the caller's reach is a 404, the same as one that does not exist.
  const notFound = ref(false);
  const failure = ref("");
  const loading = ref(false);

  async function reload(): Promise<void> {
    loading.value = true;
    failure.value = "";
    try {
      const found = await loadHazard(id.value);
      const records = await loadRecords(found);
      hazard.value = found;
      timeline.value = records.timeline;
      photos.value = records.photos;
      deferrals.value = records.deferrals;
      listing.value = records.listing;
      notFound.value = false;
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 404) {
        hazard.value = null;
        notFound.value = true;
      } else {
        failure.value = problemMessage(error);
      }
    } finally {
      loading.value = false;
    }
  }

  watch(id, () => void reload(), { immediate: true });

  return { hazard, timeline, photos, deferrals, listing, notFound, failure, loading, reload };
}
