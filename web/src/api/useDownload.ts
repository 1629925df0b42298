// Downloading a file an endpoint answers, with the busy state and the failure in Chinese for the screen.
import { ref } from "vue";
import type { ServiceName } from "@/config";
import { downloadFile, problemMessage } from "./client";

/** `download` saves the file at `path`; `busy` is the path being fetched, `error` the last failure. */
export function useDownload() {
  const busy = ref<string | null>(null);
  const error = ref<string | null>(null);

  async function download(service: ServiceName, path: string, filename: string): Promise<void> {
    busy.value = path;
    error.value = null;
    try {
      await downloadFile(service, path, filename);
    } catch (e) {
      error.value = `下载失败：${problemMessage(e)}`;
    } finally {
      busy.value = null;
    }
  }

  return { busy, error, download };
}
