import { Window } from 'happy-dom'

/**
 * A browser page's globals (window, document, localStorage, navigator) from happy-dom, for the renderer's
 * slices, while the rest of the process stays Node: main's services run in the same test and need Node's
 * own URL and fetch, which a whole-file DOM environment would replace. Returns the teardown.
 */
export function installDom(): () => Promise<void> {
  const page = new Window({ url: 'http://127.0.0.1/', settings: { navigator: { userAgent: 'test' } } })
  const globals = {
    window: page,
    document: page.document,
    localStorage: page.localStorage,
    navigator: page.navigator,
  }
  const previous = Object.fromEntries(
    Object.keys(globals).map((key) => [key, Object.getOwnPropertyDescriptor(globalThis, key)]),
  )
  for (const [key, value] of Object.entries(globals))
    Object.defineProperty(globalThis, key, { value, configurable: true, writable: true })
  return async () => {
    for (const [key, descriptor] of Object.entries(previous)) {
      if (descriptor) Object.defineProperty(globalThis, key, descriptor)
      else delete (globalThis as Record<string, unknown>)[key]
    }
    await page.happyDOM.close()
  }
}
