// Loading a report's JSON again whenever its parameters change.
import { onMounted, ref, shallowRef, watch } from "vue";
import { problemMessage } from "@/api/client";

/** The report `load` answers, re-read when the reactive `params` change; the error in Chinese when it fails. */
export function useReport<T>(params: object, load: () => Promise<unknown>) {
  const report = shallowRef<T | null>(null);
  const error = ref<string | null>(null);

  async function refresh(): Promise<void> {
    error.value = null;
    try {
      report.value = (await load()) as T;
    } catch (e) {
      report.value = null;
      error.value = problemMessage(e);
    }
  }

  watch(params, () => void refresh(), { deep: true });
  onMounted(() => void refresh());
  return { report, error, refresh };
}
