// Streaming parsers for corpus import: every unit of a file (line, element, row, paragraph) becomes one
// record or one located error. This file is the public surface; each module says what it decides and why.
export type { ImportFormat, Location, ParseLimits, ParsedItem, ParseOptions } from './types'
export { defaultParseLimits } from './limits'
export { parseFile } from './parse-file'
export { detectFormat } from './detect'
export { previewFile } from './preview'
export type { FilePreview } from './preview'
export { serialise } from './serialise'
export type { SerialFormat } from './serialise'
