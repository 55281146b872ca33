// TEST-ONLY FAULT SEAM. The crash harness (test/crash) must prove it catches a build that splits one decision
// over two IndexedDB transactions. This is that deliberately broken build, chosen at compile time: only a
// renderer built with VITE_WINNOW_FAULT=split-decision (test/crash/fault-renderer.vite.config.ts) has it on.
// Everywhere else the constant is false, and the bundler drops the broken path from the build.

// Vite's own typing (vite/client) is not loaded where tests type-check the renderer's data layer; these
// declarations match it, so the two merge.
declare global {
  interface ImportMetaEnv {
    readonly VITE_WINNOW_FAULT?: string
  }
  interface ImportMeta {
    readonly env: ImportMetaEnv
  }
}

export const splitsDecisions: boolean = import.meta.env.VITE_WINNOW_FAULT === 'split-decision'

/** The gap between the broken build's two transactions: long enough for a kill to land in it. */
export const splitGapMs = 100
