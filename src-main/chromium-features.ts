// Chromium features Winnow turns off in its renderer, each for the reason given with it. Electron's main
// applies them before the app is ready (index.ts); the end-to-end harness launches Chromium with the same
// ones, so tests and benchmarks run the renderer as the app runs it.

/**
 * DeferRendererTasksAfterInput (on by default in current Chromium): after a key press the renderer holds
 * back "deferrable" tasks until the frame after it has been drawn. Among them are the reply from main and
 * the IndexedDB callbacks that a review decision's save is made of, so every decision read "saved" a frame
 * late: bench:review on a 60 Hz frame clock, key press → "saved" p50 17.7 ms with it, 10.8 ms without.
 */
export const disabledChromiumFeatures: readonly string[] = ['DeferRendererTasksAfterInput']

/**
 * The value of one `--disable-features` switch that keeps what `existing` (that switch's value, if any)
 * disables and adds `features`: Chromium honours only the last such switch, so a second one would undo
 * the first rather than add to it.
 */
export function mergedFeatureList(existing: string | undefined, features: readonly string[]): string {
  const names = (existing ?? '').split(',').filter((name) => name.trim() !== '')
  for (const feature of features) if (!names.includes(feature)) names.push(feature)
  return names.join(',')
}

/** What index.ts needs of Electron's `app.commandLine`. */
export interface ChromiumCommandLine {
  getSwitchValue(name: string): string
  appendSwitch(name: string, value?: string): void
}

/** Turns the features off on Electron's command line, keeping any the command line already turned off. */
export function disableChromiumFeatures(commandLine: ChromiumCommandLine): void {
  const existing = commandLine.getSwitchValue('disable-features')
  commandLine.appendSwitch('disable-features', mergedFeatureList(existing, disabledChromiumFeatures))
}
