// What a person does in Winnow, as steps the end-to-end tests compose: create a project, import a file,
// read the summary and the browse count. Selectors are the data-testid names the UI promises.
import type { Page } from 'playwright-core'

export async function createProject(page: Page, name: string): Promise<void> {
  await page.getByTestId('new-project-name').fill(name)
  await page.getByTestId('create-project').click()
  await page.getByTestId('nav-import').waitFor()
}

/** `timeoutMs`: Playwright's default unless given (a benchmark's store may first upgrade and rebuild). */
export async function openProject(page: Page, name: string, timeoutMs?: number): Promise<void> {
  await page
    .locator(`[data-testid="project-row"][data-project-name="${name}"]`)
    .getByTestId('open-project')
    .click({ timeout: timeoutMs })
  await page.getByTestId('nav-browse').waitFor({ timeout: timeoutMs })
}

export interface ImportSummary {
  imported: number
  duplicates: number
  rejected: number
}

export interface ImportChoices {
  textField?: string
  idField?: string
  origin?: 'human' | 'model' | 'unknown'
}

export async function importFile(
  page: Page,
  path: string,
  choices: ImportChoices = {},
): Promise<ImportSummary> {
  await prepareImport(page, path, choices)
  return startImport(page)
}

/** Everything up to, not including, pressing Import: path, preview, field and origin choices. */
export async function prepareImport(page: Page, path: string, options: ImportChoices = {}): Promise<void> {
  await page.getByTestId('nav-import').click()
  // After an import the screen shows its summary until the user asks for another file.
  const another = page.getByTestId('import-another')
  if (await another.isVisible()) await another.click()
  await page.getByTestId('import-path').fill(path)
  await page.getByTestId('import-preview').click()
  await page.getByTestId('text-field').waitFor()
  if (options.textField) await page.getByTestId('text-field').selectOption(options.textField)
  if (options.idField) await page.getByTestId('id-field').selectOption(options.idField)
  await page.getByTestId(`origin-${options.origin ?? 'human'}`).check()
}

/** Presses Import and waits for the summary and the listed errors. */
export async function startImport(page: Page): Promise<ImportSummary> {
  await page.getByTestId('start-import').click()
  const summary = page.getByTestId('import-summary')
  await summary.waitFor({ timeout: 180_000 })
  const read = async (id: string): Promise<number> => Number(await summary.getByTestId(id).textContent())
  // The error list is read from the store, which catches up with the log just after the summary appears.
  const rejected = await read('summary-rejected')
  if (rejected > 0)
    await page
      .getByTestId('import-error')
      .nth(Math.min(rejected, 200) - 1)
      .waitFor({ timeout: 60_000 })
  return {
    imported: await read('summary-imported'),
    duplicates: await read('summary-duplicates'),
    rejected: await read('summary-rejected'),
  }
}

/** The browse table's total once the store has caught up with the log to `expected` (or times out). */
export async function browseCount(page: Page, expected: number): Promise<number> {
  await page.getByTestId('nav-browse').click()
  const count = page.getByTestId('sample-count')
  await count.waitFor()
  await page
    .waitForFunction(
      (want) => document.querySelector('[data-testid="sample-count"]')?.textContent?.trim() === String(want),
      expected,
      { timeout: 120_000 },
    )
    .catch(() => {})
  return Number((await count.textContent())?.trim())
}

/** Every stored sample's content hash, read with raw IndexedDB (not through the app's own code). */
export async function storedHashes(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((done, fail) => {
      const request = indexedDB.open('winnow')
      request.onsuccess = () => done(request.result)
      request.onerror = () => fail(new Error(String(request.error)))
    })
    if (!db.objectStoreNames.contains('samples')) return []
    const rows = await new Promise<{ contentHash: string }[]>((done, fail) => {
      const request = db.transaction('samples').objectStore('samples').getAll()
      request.onsuccess = () => done(request.result as { contentHash: string }[])
      request.onerror = () => fail(new Error(String(request.error)))
    })
    db.close()
    return rows.map((row) => row.contentHash).sort()
  })
}

/** Points the Models screen at an Ollama host and waits until it says it is connected (to that version). */
export async function connectOllama(page: Page, host: string, version?: string): Promise<void> {
  await page.getByTestId('nav-models').click()
  await page.getByTestId('ollama-host').fill(host)
  await page.getByTestId('ollama-host').press('Enter')
  const connected = version === undefined ? 'Connected to Ollama' : `Connected to Ollama ${version}`
  await page.getByTestId('ollama-status').getByText(connected).waitFor()
}

export interface GridChoices {
  models: string[]
  temperatures: string
  perCell: number
  maxTokens?: number
  /** The planned count the screen must show before starting. */
  planned: number
}

/** Fills the Generate screen's grid, checks the planned count and starts the job (does not wait for it). */
export async function startGeneration(page: Page, grid: GridChoices): Promise<void> {
  await page.getByTestId('nav-generate').click()
  for (const model of grid.models)
    await page.locator(`[data-testid="gen-model"][data-model="${model}"]`).check()
  await page.getByTestId('gen-temperatures').fill(grid.temperatures)
  await page.getByTestId('gen-k').fill(String(grid.perCell))
  if (grid.maxTokens !== undefined) await page.getByTestId('gen-max-tokens').fill(String(grid.maxTokens))
  await page.locator(`[data-testid="gen-planned"][data-count="${grid.planned}"]`).waitFor()
  await page.getByTestId('gen-start').click()
}

/**
 * Waits until the store sync reports "up to date". The rows can all be there a moment before a pass ends
 * (a rebuild's notice is written after its last page, once the restored rows are counted), so a test that
 * reads the notice must wait for the pass, not for the rows.
 */
export async function waitForSyncIdle(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator('[data-testid="sync-status"][data-status="idle"]').waitFor({ timeout: timeoutMs })
}
