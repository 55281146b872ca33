// The Chromium features the app turns off reach Chromium whole: merged into one --disable-features switch
// (Chromium keeps only the last one), on Electron's command line and on the harness's.
import { describe, expect, it } from 'vitest'
import {
  disableChromiumFeatures,
  disabledChromiumFeatures,
  mergedFeatureList,
  type ChromiumCommandLine,
} from '../../../src-main/chromium-features'

class FakeCommandLine implements ChromiumCommandLine {
  readonly switches = new Map<string, string>()
  getSwitchValue(name: string): string {
    return this.switches.get(name) ?? ''
  }
  appendSwitch(name: string, value = ''): void {
    this.switches.set(name, value) // as Chromium reads it: the last value wins
  }
}

describe('the Chromium features Winnow turns off', () => {
  it('include the deferral of tasks after input, which held every decision’s save back a frame', () => {
    expect(disabledChromiumFeatures).toContain('DeferRendererTasksAfterInput')
  })

  it('are added to the features a switch already turns off, once each', () => {
    expect(mergedFeatureList(undefined, ['A'])).toBe('A')
    expect(mergedFeatureList('', ['A', 'B'])).toBe('A,B')
    expect(mergedFeatureList('X,Y', ['A'])).toBe('X,Y,A')
    expect(mergedFeatureList('A,X', ['A'])).toBe('A,X')
  })

  it('reach Electron’s command line without undoing a --disable-features given at launch', () => {
    const commandLine = new FakeCommandLine()
    disableChromiumFeatures(commandLine)
    expect(commandLine.getSwitchValue('disable-features')).toBe(disabledChromiumFeatures.join(','))
    const launched = new FakeCommandLine()
    launched.appendSwitch('disable-features', 'SomethingElse')
    disableChromiumFeatures(launched)
    expect(launched.getSwitchValue('disable-features').split(',')).toEqual([
      'SomethingElse',
      ...disabledChromiumFeatures,
    ])
  })
})
