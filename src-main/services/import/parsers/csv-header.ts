// Column names from a CSV/TSV header row. Names must be unique to become record keys, so a repeated name
// gets a suffix ("col", "col_2", "col_3") and an empty one becomes "column_N" (N = 1-based position);
// a generated name never takes a name that appears literally anywhere in the header.

export function uniqueColumnNames(raw: readonly string[]): string[] {
  const literal = new Set(raw)
  const used = new Set<string>()
  const claim = (name: string): string => {
    used.add(name)
    return name
  }
  return raw.map((name, index) => {
    if (name !== '' && !used.has(name)) return claim(name)
    const base = name === '' ? `column_${index + 1}` : name
    if (name === '' && !used.has(base) && !literal.has(base)) return claim(base)
    for (let k = 2; ; k++) {
      const candidate = `${base}_${k}`
      if (!used.has(candidate) && !literal.has(candidate)) return claim(candidate)
    }
  })
}
