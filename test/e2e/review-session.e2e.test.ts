// A keyboard-only review session in Chromium over the loopback transport against the fake Ollama server:
// import 100 samples, generate 3 candidates each with one model, then make 50 decisions of each kind
// (select, edit, flag, reject all, skip, undo, note: 350 in all) with keys alone, waiting for each to be
// saved before the next. The project log must then hold exactly those 350 decisions, in the order they were
// made, each with the sample, candidate, text, reason, note and undo target the keys asked for.
import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { readLogEvent } from '@shared/domain/log-events'
import { flagReasons, type DecisionKind, type DecisionRecord } from '@shared/domain/decision'
import { useAppSession, writeStories } from './session'
import { createProject, importFile, connectOllama, startGeneration } from './app-driver'
import { LoopbackClient } from './loopback-client'

const ROUNDS = 50 // each round: one sample gets select, edit, flag, note, undo, reject all; the next a skip
const SAMPLES = ROUNDS * 2
const CANDIDATES = 3

/** One decision the keys asked for, as the log must show it. */
interface Expected {
  kind: DecisionKind
  sampleId: string
  /** Index in the shown order of the candidate acted on, and its id as the card showed it. */
  position?: number
  candidateId?: string | null
  candidateText?: string
  editedText?: string
  flag?: { reason: string; note: string | null }
  note?: string
  /** For an undo: the index (in this list) of the decision it cancels. */
  undoes?: number
}

const currentSample = async (page: Page): Promise<string> => {
  const id = await page.getByTestId('review-sample').getAttribute('data-sample-id')
  if (id === null) throw new Error('no sample on screen')
  return id
}

const activeTestId = (page: Page): Promise<string | null | undefined> =>
  page.evaluate(() => document.activeElement?.getAttribute('data-testid'))

async function waitForFocus(page: Page, testid: string): Promise<void> {
  await page.waitForFunction((id) => document.activeElement?.getAttribute('data-testid') === id, testid, {
    timeout: 10_000,
  })
}

describe('a keyboard-only review session', () => {
  const session = useAppSession('e2e-review-session', {
    ollama: true,
    prepare: (work) => writeStories(join(work, 'corpus.jsonl'), SAMPLES, 'a fox crossed the river.'),
  })
  const corpus = (): string => join(session.work, 'corpus.jsonl')
  const expected: Expected[] = []

  it(`generates ${CANDIDATES} short candidates for each of ${SAMPLES} samples`, async () => {
    const { page } = session.app
    await createProject(page, 'Review session')
    await importFile(page, corpus(), { textField: 'text', idField: 'id', origin: 'human' })
    await connectOllama(page, session.ollama.url, session.ollama.version)
    await startGeneration(page, {
      models: ['tiny:latest'],
      temperatures: '0.7',
      perCell: CANDIDATES,
      maxTokens: 6,
      planned: SAMPLES * CANDIDATES,
    })
    await page.locator('[data-testid="gen-progress"][data-status="done"]').waitFor({ timeout: 90_000 })
  }, 120_000)

  it('records 50 decisions of each kind from the keyboard alone, each saved before the next', async () => {
    const { page } = session.app
    await page.locator('body').click({ position: { x: 1, y: 1 } }) // keys go to the page, not a field
    await page.keyboard.press('g')
    await page.keyboard.press('r')
    await page
      .getByTestId('review-candidate')
      .nth(CANDIDATES - 1)
      .waitFor({ timeout: 30_000 })

    /** Waits until the newest entries of the status list are the expected kinds, all saved. */
    const saved = async (): Promise<void> => {
      const kinds = expected
        .slice(-8)
        .map((decision) => decision.kind)
        .reverse()
      await page.waitForFunction(
        (want) => {
          const items = [...document.querySelectorAll('[data-testid="decision-status"]')]
          return (
            items.length === want.length &&
            items.every(
              (item, i) =>
                item.getAttribute('data-kind') === want[i] && item.getAttribute('data-status') === 'saved',
            )
          )
        },
        kinds,
        { timeout: 10_000 },
      )
    }
    const movedOn = async (previous: string): Promise<void> => {
      await page.waitForFunction(
        (id) => {
          // the next sample with its candidates, or, after the last one, the end of the queue
          if (document.querySelector('[data-testid="review-done"]') !== null) return true
          const sample = document.querySelector('[data-testid="review-sample"]')
          const cards = document.querySelectorAll('[data-testid="review-candidate"]')
          return sample !== null && sample.getAttribute('data-sample-id') !== id && cards.length === 3
        },
        previous,
        { timeout: 10_000 },
      )
    }
    const card = (position: number) => page.getByTestId('review-candidate').nth(position)
    const candidateAt = async (position: number): Promise<{ id: string; text: string }> => ({
      id: (await card(position).getAttribute('data-candidate-id')) ?? '',
      text: (await card(position).getByTestId('review-candidate-text').textContent()) ?? '',
    })
    const focusedPosition = (): Promise<number> =>
      page
        .getByTestId('review-candidate')
        .evaluateAll((cards) => cards.findIndex((c) => c.getAttribute('aria-current') === 'true'))
    const undoLatest = async (sampleId: string, target: number): Promise<void> => {
      await page.keyboard.press('z')
      expected.push({ kind: 'undo', sampleId, undoes: target })
      await saved()
    }

    for (let round = 0; round < ROUNDS; round += 1) {
      const sampleId = await currentSample(page)
      const undoAfter = (['edit', 'flag', 'note'] as const)[round % 3]

      // select: a number key, staying on the sample
      const chosen = round % 3
      const chosenCandidate = await candidateAt(chosen)
      await page.keyboard.press(String(chosen + 1))
      expected.push({ kind: 'select', sampleId, position: chosen, candidateId: chosenCandidate.id })
      await saved()
      await page.locator('[data-testid="review-candidate"][data-chosen="true"]').waitFor()

      // edit: j to the next candidate, e, replace the text, Ctrl+Enter
      await page.keyboard.press('j')
      const editAt = Math.min(CANDIDATES - 1, chosen + 1)
      await expect.poll(focusedPosition).toBe(editAt)
      const edited = await candidateAt(editAt)
      await page.keyboard.press('e')
      await waitForFocus(page, 'edit-text')
      const editedText = `Round ${round}: the fox swam across.`
      await page.keyboard.press('Control+A')
      await page.keyboard.type(editedText)
      await page.keyboard.press('Control+Enter')
      await page.getByTestId('edit-panel').waitFor({ state: 'detached' })
      expected.push({
        kind: 'edit',
        sampleId,
        position: editAt,
        candidateId: edited.id,
        candidateText: edited.text,
        editedText,
      })
      const editIndex = expected.length - 1
      await saved()
      if (undoAfter === 'edit') await undoLatest(sampleId, editIndex)

      // flag: k to the previous candidate, f, a reason by arrows (or Space for the first), a note on even
      // rounds after Tab, Ctrl+Enter
      await page.keyboard.press('k')
      const flagAt = Math.max(0, editAt - 1)
      await expect.poll(focusedPosition).toBe(flagAt)
      const flagged = await candidateAt(flagAt)
      await page.keyboard.press('f')
      await page.getByTestId('flag-dialog').waitFor()
      await waitForFocus(page, 'flag-reason')
      const reasonIndex = round % flagReasons.length
      if (reasonIndex === 0) await page.keyboard.press('Space')
      for (let i = 0; i < reasonIndex; i += 1) await page.keyboard.press('ArrowDown')
      const reason = flagReasons[reasonIndex]!.id
      await expect
        .poll(() => page.locator('[data-testid="flag-reason"]:checked').getAttribute('value'))
        .toBe(reason)
      const flagNote = round % 2 === 0 ? `Flag note ${round}.` : null
      if (flagNote !== null) {
        await page.keyboard.press('Tab')
        expect(await activeTestId(page)).toBe('flag-note')
        await page.keyboard.type(flagNote)
      }
      await page.keyboard.press('Control+Enter')
      await page.getByTestId('flag-dialog').waitFor({ state: 'detached' })
      expected.push({
        kind: 'flag',
        sampleId,
        position: flagAt,
        candidateId: flagged.id,
        flag: { reason, note: flagNote },
      })
      const flagIndex = expected.length - 1
      await saved()
      if (undoAfter === 'flag') await undoLatest(sampleId, flagIndex)

      // note: n, type, (every fourth round: Tab, Space to tie it to the focused candidate, Shift+Tab back),
      // Ctrl+Enter
      await page.keyboard.press('n')
      await page.getByTestId('note-dialog').waitFor()
      await waitForFocus(page, 'note-text')
      const noteText = `Note ${round} on ${sampleId}.`
      await page.keyboard.type(noteText)
      const aboutCandidate = round % 4 === 3
      if (aboutCandidate) {
        await page.keyboard.press('Tab')
        await page.keyboard.press('Space')
        await expect.poll(() => page.getByTestId('note-dialog').getByRole('checkbox').isChecked()).toBe(true)
        await page.keyboard.press('Shift+Tab')
        await waitForFocus(page, 'note-text')
      }
      await page.keyboard.press('Control+Enter')
      await page.getByTestId('note-dialog').waitFor({ state: 'detached' })
      expected.push({
        kind: 'note',
        sampleId,
        note: noteText,
        position: aboutCandidate ? flagAt : undefined,
        candidateId: aboutCandidate ? flagged.id : null,
      })
      const noteIndex = expected.length - 1
      await saved()
      if (undoAfter === 'note') await undoLatest(sampleId, noteIndex)

      // reject all: x, and on to the next sample
      await page.keyboard.press('x')
      expected.push({ kind: 'reject-all', sampleId })
      await movedOn(sampleId)
      await saved()

      // skip: s on the next sample, and on
      const skipped = await currentSample(page)
      await page.keyboard.press('s')
      expected.push({ kind: 'skip', sampleId: skipped })
      await movedOn(skipped)
      await saved()
    }

    // Every sample was rejected or skipped: the unreviewed queue is done, with half the samples done.
    await page.getByTestId('review-done').waitFor()
    await page
      .locator(`[data-testid="review-progress"][data-done="${ROUNDS}"][data-total="${SAMPLES}"]`)
      .waitFor()
    expect(new Set(expected.map((decision) => decision.sampleId)).size).toBe(SAMPLES)
    expect(await page.locator('[data-testid="decision-status"][data-status="failed"]').count()).toBe(0)
    expect(await page.getByTestId('review-error').count()).toBe(0)
    const counts: Record<string, number> = {}
    for (const decision of expected) counts[decision.kind] = (counts[decision.kind] ?? 0) + 1
    expect(counts).toEqual({
      select: 50,
      edit: 50,
      flag: 50,
      'reject-all': 50,
      skip: 50,
      undo: 50,
      note: 50,
    })
  }, 180_000)

  it('finds exactly those 350 decisions in the project log, in order, and verifies the chain', async () => {
    expect(expected).toHaveLength(350)
    const client = await LoopbackClient.connect(session.host)
    try {
      const [project] = await client.call('projects.list', {})
      const projectId = project!.id
      const decisions: DecisionRecord[] = []
      for (let after = 0; ;) {
        const { events } = await client.call('log.read', {
          projectId,
          afterSeq: after,
          maxEvents: 1000,
          maxBytes: 8 * 1024 * 1024,
        })
        if (events.length === 0) break
        for (const event of events) {
          const typed = readLogEvent(event)
          if (typed?.kind === 'decision.recorded') decisions.push(typed.data.decision)
        }
        after = events.at(-1)!.seq
      }

      expect(decisions).toHaveLength(350)
      const logged: Record<string, number> = {}
      for (const decision of decisions) logged[decision.kind] = (logged[decision.kind] ?? 0) + 1
      expect(logged).toEqual({
        select: 50,
        edit: 50,
        flag: 50,
        'reject-all': 50,
        skip: 50,
        undo: 50,
        note: 50,
      })
      const annotators = new Set(decisions.map((decision) => decision.annotator))
      expect(annotators.size).toBe(1)
      expect([...annotators][0]).not.toBe('')

      for (const [index, want] of expected.entries()) {
        const got = decisions[index]!
        const where = `decision ${index} (${want.kind} on ${want.sampleId})`
        expect(got.kind, where).toBe(want.kind)
        expect(got.sampleId, where).toBe(want.sampleId)
        expect(got.shownOrder, where).toHaveLength(CANDIDATES)
        if (want.candidateId !== undefined) expect(got.candidateId, where).toBe(want.candidateId)
        else expect(got.candidateId, where).toBeNull()
        if (want.position !== undefined) expect(got.shownOrder[want.position], where).toBe(want.candidateId)
        expect(got.editedText, where).toBe(want.editedText ?? null)
        if (want.kind === 'edit') {
          expect(got.diff, where).not.toBeNull()
          expect(
            got
              .diff!.filter((part) => part.op !== 'insert')
              .map((part) => part.text)
              .join(''),
            where,
          ).toBe(want.candidateText)
          expect(
            got
              .diff!.filter((part) => part.op !== 'delete')
              .map((part) => part.text)
              .join(''),
            where,
          ).toBe(want.editedText)
        } else expect(got.diff, where).toBeNull()
        expect(got.flag, where).toEqual(
          want.flag === undefined
            ? null
            : { reason: want.flag.reason, note: want.flag.note, correction: null },
        )
        expect(got.note, where).toBe(want.note ?? null)
        expect(got.undoes, where).toBe(want.undoes === undefined ? null : decisions[want.undoes]!.id)
      }

      const verdict = await client.call('review.verify', { projectId })
      expect(verdict).toMatchObject({ ok: true, decisions: 350, chains: 1 })
    } finally {
      client.close()
    }
  }, 60_000)
})
