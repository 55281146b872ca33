// Names derived from user text (a dataset's name, a split, a format) become file and folder names on
// every platform Winnow runs on. A derived name is one path segment: no separators, no `.`/`..`, no
// control or bidi-control characters, none of Windows' reserved device names, no trailing dot or space,
// and short enough for every file system (≤ 120 UTF-8 bytes, cut on a character boundary).

const MAX_BYTES = 120
// Path separators, characters Windows forbids, C0/C1 controls, and invisible or direction-changing
// characters that would make a name look like something it is not.
// Lone surrogates (\p{Cs}) have no UTF-8 form at all.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
const UNSAFE = /[/\\:*?"<>|\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\p{Cs}]/gu
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i

export function sanitiseFileName(name: string, fallback = 'dataset'): string {
  let safe = name.normalize('NFC').replace(UNSAFE, '_').replace(/\s+/gu, ' ').trim()
  // Leading dots would hide the file (and `..` would climb); trailing dots and spaces vanish on Windows.
  safe = safe.replace(/^\.+/u, '').replace(/[. ]+$/u, '')
  if (RESERVED.test(safe)) safe = `_${safe}`
  safe = truncateUtf8(safe, MAX_BYTES).replace(/[. ]+$/u, '')
  return safe === '' ? fallback : safe
}

function truncateUtf8(text: string, maxBytes: number): string {
  let out = ''
  let bytes = 0
  for (const char of text) {
    const size = utf8Length(char.codePointAt(0) ?? 0)
    if (bytes + size > maxBytes) break
    out += char
    bytes += size
  }
  return out
}

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4
}
