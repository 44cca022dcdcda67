import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["compiler/**/*.test.ts", "runtime/**/*.test.ts", "grammar/**/*.test.ts", "util/**/*.test.ts", "test/**/*.test.ts", "web/**/*.test.ts"],
    // dawn.node keeps native state per process; forks isolate it cleanly from the pure-math tests.
    pool: "forks",
    // GPU tests compile their kernels first; with a cold shader cache (CI) lavapipe takes tens of seconds for
    // a convolution's, more when the two cores are shared by parallel test files. Not a speed check.
    testTimeout: 180_000,
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
