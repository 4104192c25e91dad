// Shared set-up of the e2e scripts: the paths ctest passes in the environment, and a check() that
// counts failures and reports them at the end.
import fs from "node:fs";
import path from "node:path";

// { cli, sourceDir, workDir }: workDir is a fresh-or-kept folder named `name` under TUNESMITH_WORK_DIR.
export function e2eEnvironment(name) {
  const cli = process.env.TUNESMITH_CLI;
  const sourceDir = process.env.TUNESMITH_SOURCE_DIR;
  if (!cli || !sourceDir) {
    console.error(`${name}: TUNESMITH_CLI and TUNESMITH_SOURCE_DIR must be set`);
    process.exit(2);
  }
  const workDir = path.join(process.env.TUNESMITH_WORK_DIR ?? "/tmp/tunesmith-e2e-work", name);
  fs.mkdirSync(workDir, { recursive: true });
  return { cli, sourceDir, workDir };
}

// check(ok, message) records a failure; finish(summary) exits 1 if any, else prints the summary.
export function checker(name) {
  let failures = 0;
  return {
    check(ok, message) {
      if (!ok) {
        failures++;
        console.error("FAIL:", message);
      }
    },
    finish(summary) {
      if (failures) {
        console.error(`${name}: ${failures} check(s) failed`);
        process.exit(1);
      }
      console.log(`${name}: ${summary}`);
    },
  };
}
