// Which links may open in the system browser: https to the allow-listed hosts, nothing else.
import { describe, expect, it } from 'vitest'
import { externalLinkHosts, isAllowedExternalUrl } from '@shared/domain/external-links'

describe('isAllowedExternalUrl', () => {
  it('allows exactly ollama.com, github.com and huggingface.co', () => {
    expect([...externalLinkHosts].sort()).toStrictEqual(['github.com', 'huggingface.co', 'ollama.com'])
  })

  it.each([
    'https://ollama.com',
    'https://ollama.com/',
    'https://ollama.com/library/llama3.2?tab=tags',
    'https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-completion',
    'https://huggingface.co/datasets/roneneldan/TinyStories',
    'HTTPS://GitHub.com/',
    'https://github.com/a/b/@c',
  ])('allows %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true)
  })

  it.each([
    'http://ollama.com/',
    'ftp://github.com/',
    'file:///etc/passwd',
    'javascript:alert(1)//https://github.com/',
    'data:text/html,https://github.com/',
    'app://winnow/index.html',
    '//github.com/',
    'github.com',
    'https://evil.example/',
    'https://github.com.evil.example/',
    'https://evilgithub.com/',
    'https://gist.github.com/',
    'https://github.com./',
    'https://github.com@evil.example/',
    'https://user:pass@github.com/',
    'https://user@github.com/',
    'https://github.com:443/',
    'https://github.com:8443/',
    'https://github%2ecom/',
    'https://evil.example\\@github.com/',
    'https://github.com\\evil',
    'https://github.com/ space',
    'https://github.com/\nx',
    'https://github.com/\u0000',
    ' https://github.com/',
    'https://github.com/ ',
    'https:/github.com/',
    'https:///github.com/',
    'https://',
    '',
    `https://github.com/${'a'.repeat(2048)}`,
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false)
  })
})
