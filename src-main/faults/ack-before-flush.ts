// TEST-ONLY FAULT SEAM. The crash harness (test/crash) must prove it catches a build that acknowledges a
// decision before the project log has flushed it. This module is that deliberately broken build: switched on
// only by the browser host (src-main/browser-host.ts) when it starts with WINNOW_FAULT=ack-before-flush.
// The Electron entry (index.ts) never enables it, so a packaged app always takes the durable path.

/** How long the broken build sits on a decision before appending it: a plausible group-commit window. */
export const deferredFlushMs = 300

let isEnabled = false

/** Called once at host start-up; anything but the exact fault name leaves the durable path in place. */
export function enableHostFault(name: string | undefined): void {
  isEnabled = name === 'ack-before-flush'
  if (isEnabled)
    console.error('WINNOW_FAULT=ack-before-flush: decisions are acknowledged BEFORE the log flush')
}

export function acksBeforeFlush(): boolean {
  return isEnabled
}
