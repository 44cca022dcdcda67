import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["compiler/**/*.test.ts", "runtime/**/*.test.ts", "grammar/**/*.test.ts", "test/**/*.test.ts"],
    // dawn.node keeps native state per process; forks isolate it cleanly from the pure-math tests.
    pool: "forks",
    testTimeout: 60_000,
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
