import { createApp } from "vue";
import "element-plus/dist/index.css";
import "./styles.css";
import App from "./App.vue";
import { restoreSession } from "./auth/session";
import { loadConfig } from "./config";
import { router } from "./router";

async function start(): Promise<void> {
  await loadConfig();
  restoreSession();
  createApp(App).use(router).mount("#app");
}

start().catch((error: unknown) => {
  const root = document.getElementById("app");
  if (root) root.textContent = `控制台无法启动：${error instanceof Error ? error.message : String(error)}`;
});
