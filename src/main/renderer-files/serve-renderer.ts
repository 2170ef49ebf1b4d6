import { readFile } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve } from 'node:path'

/**
 * The page's Content-Security-Policy, sent with every HTML response in both transports: only the app's
 * own scripts and styles, audio only from the app or the media scheme, no plugins, no framing, no forms.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "media-src 'self' callscribe-media:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

/**
 * Serves the built renderer from `rootDir` (Electron's app scheme and the browser host's HTTP server).
 * Paths are confined to the folder; `/` is the index page. `injectHead` lets the browser host add its
 * bridge script to the page.
 */
export function createRendererFileHandler(rootDir: string, options: { injectHead?: string } = {}) {
  const root = resolve(rootDir)
  return async function serveRenderer(request: Request): Promise<Response> {
    const pathname = decodeURIComponent(new URL(request.url).pathname)
    const file = resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`)
    const inside = relative(root, file)
    if (inside.startsWith('..') || isAbsolute(inside)) return new Response('Not found', { status: 404 })
    let body: Buffer
    try {
      body = await readFile(file)
    } catch {
      return new Response('Not found', { status: 404 })
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream'
    const headers: Record<string, string> = { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff' }
    if (type.startsWith('text/html')) {
      headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY
      if (options.injectHead) {
        return new Response(body.toString('utf8').replace('<head>', `<head>${options.injectHead}`), {
          headers,
        })
      }
    }
    return new Response(new Uint8Array(body), { headers })
  }
}
