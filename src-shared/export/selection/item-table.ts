// The selection's items as columns: what dedup, the mix policy, the split and the preview read of an item, in
// typed arrays (about 20 bytes a row) plus its b-bit signature in shared 1 MiB slabs, and its sample id as a
// shared string. A streamed export holds two million of these at once; as objects they took ten times the room.
import type { ItemFingerprint } from './fingerprint'
import { itemId, type ItemKind, type SelectionItem } from './items'

const KINDS: readonly ItemKind[] = ['human-original', 'accepted']
const SLAB_BYTES = 1024 * 1024

export class ItemTable {
  count = 0
  #kind = new Uint8Array(1024)
  #depth = new Int32Array(1024)
  #generation = new Int32Array(1024)
  #sample = new Int32Array(1024)
  #exact = new Float64Array(1024)
  #isTest = new Uint8Array(1024)
  readonly #sampleIds: string[] = []
  readonly #slabs: Uint8Array[] = []
  /** Each sample's place in sample id order, computed once the table is complete, so sorts compare numbers. */
  #sampleRanks: Int32Array | null = null
  readonly #signatureBytes: number

  /** `signatureBytes`: numPerm of the near-duplicate spec, or 0 when there is no near-duplicate search. */
  constructor(signatureBytes: number) {
    this.#signatureBytes = signatureBytes
  }

  /** Registers a sample id once; its items refer to it by number. */
  addSample(sampleId: string): number {
    this.#sampleRanks = null
    return this.#sampleIds.push(sampleId) - 1
  }

  add(item: SelectionItem, sample: number, fingerprint: ItemFingerprint | null, isTest: boolean): number {
    const row = this.count
    if (row === this.#kind.length) this.#grow()
    this.#kind[row] = item.kind === 'human-original' ? 0 : 1
    this.#depth[row] = item.depth ?? -1
    this.#generation[row] = item.generation ?? -1
    this.#sample[row] = sample
    this.#exact[row] = fingerprint?.exact ?? 0
    this.#isTest[row] = isTest ? 1 : 0
    if (this.#signatureBytes > 0) {
      const signature = fingerprint?.signature
      if (signature == null || signature.length !== this.#signatureBytes)
        throw new Error('selection: an item is missing its near-duplicate signature')
      this.#signatureAt(row).set(signature)
    }
    this.count += 1
    return row
  }

  kind(row: number): ItemKind {
    return KINDS[this.#kind[row]!]!
  }
  isHuman(row: number): boolean {
    return this.#kind[row] === 0
  }
  /** null when unknown. */
  depth(row: number): number | null {
    const depth = this.#depth[row]!
    return depth < 0 ? null : depth
  }
  /** Unknown depth sorts after every known one. */
  depthRank(row: number): number {
    const depth = this.#depth[row]!
    return depth < 0 ? Number.POSITIVE_INFINITY : depth
  }
  generation(row: number): number | null {
    const generation = this.#generation[row]!
    return generation < 0 ? null : generation
  }
  sampleId(row: number): string {
    return this.#sampleIds[this.#sample[row]!]!
  }
  itemId(row: number): string {
    return itemId(this.kind(row), this.sampleId(row))
  }
  exactKey(row: number): number {
    return this.#exact[row]!
  }
  isTest(row: number): boolean {
    return this.#isTest[row] === 1
  }
  signature(row: number): Uint8Array {
    return this.#signatureAt(row)
  }

  /**
   * Item id order ("accepted:…" before "human-original:…", then by sample id) without building the ids: by
   * the sample's rank in id order, which two million string comparisons per sort made worth computing.
   */
  compareIds(a: number, b: number): number {
    const kindA = this.#kind[a]!
    const kindB = this.#kind[b]!
    if (kindA !== kindB) return kindA === 1 ? -1 : 1
    const ranks = this.#sampleRanks ?? this.#rankSamples()
    return ranks[this.#sample[a]!]! - ranks[this.#sample[b]!]!
  }

  /** Priority, wherever "the first" is kept: humans, then shallower, then by id (as compareItems). */
  comparePriority(a: number, b: number): number {
    const humanA = this.#kind[a] === 0
    if (humanA !== (this.#kind[b] === 0)) return humanA ? -1 : 1
    const depthA = this.depthRank(a)
    const depthB = this.depthRank(b)
    if (depthA !== depthB) return depthA - depthB
    return this.compareIds(a, b)
  }

  /** A light item for the few rows a preview shows (no text: callers read it again). */
  lightItem(row: number): SelectionItem {
    const kind = this.kind(row)
    return {
      id: this.itemId(row),
      sampleId: this.sampleId(row),
      kind,
      origin: kind === 'human-original' ? 'human' : 'synthetic',
      depth: this.depth(row),
      generation: this.generation(row),
      model: null,
      candidateId: null,
      status: null,
      flagReasons: [],
      sourceOrigin: 'unknown',
      tags: [],
      reviewedAt: null,
      text: '',
    }
  }

  #rankSamples(): Int32Array {
    const ids = this.#sampleIds
    const order = ids.map((_, i) => i).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0))
    const ranks = new Int32Array(ids.length)
    // Equal ids (the same sample given twice to an array-based caller) share a rank, as equal strings compare.
    for (let i = 0; i < order.length; i++)
      ranks[order[i]!] = i > 0 && ids[order[i]!] === ids[order[i - 1]!] ? ranks[order[i - 1]!]! : i
    this.#sampleRanks = ranks
    return ranks
  }

  #signatureAt(row: number): Uint8Array {
    const perSlab = Math.floor(SLAB_BYTES / this.#signatureBytes)
    const slab = Math.floor(row / perSlab)
    while (this.#slabs.length <= slab) this.#slabs.push(new Uint8Array(perSlab * this.#signatureBytes))
    const at = (row % perSlab) * this.#signatureBytes
    return this.#slabs[slab]!.subarray(at, at + this.#signatureBytes)
  }

  #grow(): void {
    const size = this.#kind.length * 2
    const grown = <T extends Uint8Array | Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(size)
      next.set(old)
      return next
    }
    this.#kind = grown(this.#kind, (n) => new Uint8Array(n))
    this.#depth = grown(this.#depth, (n) => new Int32Array(n))
    this.#generation = grown(this.#generation, (n) => new Int32Array(n))
    this.#sample = grown(this.#sample, (n) => new Int32Array(n))
    this.#exact = grown(this.#exact, (n) => new Float64Array(n))
    this.#isTest = grown(this.#isTest, (n) => new Uint8Array(n))
  }
}

/** A table of the given items (each its own sample), for the array-based entry points and tests. */
export function tableOf(
  items: readonly SelectionItem[],
  fingerprint: (item: SelectionItem) => ItemFingerprint | null,
  signatureBytes: number,
  isTest: (item: SelectionItem) => boolean = () => false,
): ItemTable {
  const table = new ItemTable(signatureBytes)
  for (const item of items) table.add(item, table.addSample(item.sampleId), fingerprint(item), isTest(item))
  return table
}
