import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'

const bundles = new Map<string, Promise<string>>()

/**
 * A browser page's bridge (src/browser: the browser host's or the office server's), bundled for the browser
 * once per process (a server that restarts in the same process, as tests do, reuses it).
 */
export function bundleBridge(name: 'host-bridge' | 'office-bridge'): Promise<string> {
  let bundle = bundles.get(name)
  if (!bundle) {
    bundle = build({
      entryPoints: [fileURLToPath(new URL(`../../browser/${name}.ts`, import.meta.url))],
      bundle: true,
      write: false,
      format: 'iife',
      target: 'es2022',
      platform: 'browser',
      logLevel: 'silent',
    }).then((result) => result.outputFiles[0]?.text ?? '')
    bundles.set(name, bundle)
  }
  return bundle
}
