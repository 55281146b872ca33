// Which links may leave the app for the system browser: https to a short list of hosts, nothing else.
// Parsed with a strict grammar instead of URL so shared code needs no DOM or Node types, and so that what
// is checked is exactly the string handed to the operating system.

/** Hosts the UI links to: model library, source code and the project's docs, model hub. */
export const externalLinkHosts: readonly string[] = ['ollama.com', 'github.com', 'huggingface.co']

const maxLength = 2048
// Host is letters, digits, dots and dashes only, then the path, query or fragment or nothing: this leaves no
// room for credentials (@), ports (:), backslashes, percent-encoded hosts or whitespace before the path.
const shape = /^https:\/\/([a-z0-9.-]+)(?:[/?#][^\s\\]*)?$/i
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/

export function isAllowedExternalUrl(url: string): boolean {
  if (typeof url !== 'string' || url.length > maxLength || controlCharacters.test(url)) return false
  const host = shape.exec(url)?.[1]?.toLowerCase()
  return host !== undefined && externalLinkHosts.includes(host)
}
