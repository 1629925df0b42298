// A list read a page at a time with the API's keyset cursor: the first page (with its total), then "load more".
import { ref, shallowRef } from "vue";
import { problemMessage } from "@/api/client";

export interface PageOf<T> {
  items: T[];
  next_cursor?: string | null;
  total?: number | null;
}

/** `fetchPage` asks one page: after `cursor` when given, with the total when `includeTotal`. */
export function usePages<T>(
  fetchPage: (cursor: string | undefined, includeTotal: boolean) => Promise<PageOf<T> | undefined>,
) {
  const rows = shallowRef<T[]>([]);
  const cursor = ref<string | null>(null);
  const total = ref<number | null>(null);
  const loading = ref(false);
  const failure = ref("");

  /** The first page again (filters changed), or the next one after the cursor. */
  async function load(more = false): Promise<void> {
    loading.value = true;
    failure.value = "";
    try {
      const page = await fetchPage(more ? (cursor.value ?? undefined) : undefined, !more);
      const items = page?.items ?? [];
      rows.value = more ? [...rows.value, ...items] : items;
      cursor.value = page?.next_cursor ?? null;
      if (!more) total.value = page?.total ?? null;
    } catch (error) {
      failure.value = problemMessage(error);
    } finally {
      loading.value = false;
    }
  }

  return { rows, cursor, total, loading, failure, load };
}
