// Crash durability (issue 4, bar 2): the built renderer in real headless Chromium and the main-side services
// in their own process, killed at random points. One file at a time: the machines have two cores. The
// summary reporter prints the bar's JSON line last.
import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { alias: { '@shared': resolve(import.meta.dirname, 'src-shared') } },
  test: {
    include: ['test/crash/**/*.crash.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/crash/summary-reporter.ts'],
  },
})
