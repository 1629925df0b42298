// Generates src/api/generated/<service>.ts from openapi/<service>.json with openapi-typescript.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "node_modules", ".bin", "openapi-typescript");
for (const service of ["hazard", "enforcement", "supervisor", "reporting"]) {
  execFileSync(bin, [join("openapi", `${service}.json`), "-o", join("src", "api", "generated", `${service}.ts`)], {
    cwd: root,
    stdio: "inherit",
  });
}
