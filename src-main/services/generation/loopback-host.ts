// Corpus text must not leave the machine unless the user said so: is a model host this machine?

export const isLoopbackHost = (url: string): boolean => {
  const host = new URL(url).hostname
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}
