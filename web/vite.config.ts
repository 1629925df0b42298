/// <reference types="vitest/config" />
import vue from "@vitejs/plugin-vue";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// Libraries split out of the main chunk: ECharts is reached only through a dynamic import (charts load on
// demand), Element Plus and Vue are cached apart from the console's own code, which changes more often.
const chunkGroups = [
  { name: "echarts", test: /node_modules[\\/](echarts|zrender|tslib)[\\/]/ },
  { name: "element-plus", test: /node_modules[\\/](element-plus|@element-plus|@vueuse|@floating-ui|@ctrl|dayjs|lodash|lodash-es|lodash-unified|async-validator|memoize-one|normalize-wheel-es)[\\/]/ },
  { name: "vue", test: /node_modules[\\/](vue|vue-router|@vue)[\\/]/ },
];

export default defineConfig(({ mode }) => ({
  plugins: [vue()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  build: {
    outDir: mode === "embedded" ? "dist-embedded" : "dist",
    manifest: true,
    rollupOptions: { output: { codeSplitting: { groups: chunkGroups } } },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
  },
}));
