#!/usr/bin/env node
/**
 * Draws the CallScribe icon (a speech bubble with a sound wave on a blue tile) at every size the
 * installers need, with no image tools: PNGs, a PNG-based .ico (Windows) and .icns (macOS).
 *   node scripts/make-icons.mjs   → resources/icon.png, resources/build/{icon.ico,icon.icns,icons/NxN.png},
 *                                   src/renderer/public/favicon.png
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { deflateSync, crc32 } from 'node:zlib'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Signed distance to a rounded rectangle centred at (cx, cy). */
function roundedRect(x, y, cx, cy, halfW, halfH, radius) {
  const qx = Math.abs(x - cx) - halfW + radius
  const qy = Math.abs(y - cy) - halfH + radius
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius
}

/** Colour of a point in the unit square (0..1), as [r, g, b, a]. */
function shade(x, y) {
  const tile = roundedRect(x, y, 0.5, 0.5, 0.45, 0.45, 0.1)
  if (tile > 0) return [0, 0, 0, 0]
  const t = y
  const background = [36 + 20 * t, 89 - 30 * t, 214 - 40 * t]
  const bubble = Math.min(roundedRect(x, y, 0.5, 0.46, 0.3, 0.22, 0.08), tailDistance(x, y))
  if (bubble > 0) return [...background, 255]
  const bars = [0.26, 0.5, 0.7, 0.42, 0.3]
  for (let i = 0; i < bars.length; i++) {
    const cx = 0.32 + i * 0.09
    if (roundedRect(x, y, cx, 0.46, 0.025, bars[i] * 0.22, 0.025) <= 0) return [36, 89, 214, 255]
  }
  return [255, 255, 255, 255]
}

function tailDistance(x, y) {
  // A small triangle under the bubble's left side.
  const ax = 0.3,
    ay = 0.66,
    bx = 0.42,
    by = 0.66,
    cx = 0.28,
    cy = 0.8
  const sign = (px, py, qx, qy, rx, ry) => (px - rx) * (qy - ry) - (qx - rx) * (py - ry)
  const d1 = sign(x, y, ax, ay, bx, by),
    d2 = sign(x, y, bx, by, cx, cy),
    d3 = sign(x, y, cx, cy, ax, ay)
  const inside = !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0))
  return inside ? -1 : 1
}

function render(size) {
  const pixels = Buffer.alloc(size * size * 4)
  const samples = 4
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0]
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const [r, g, b, a] = shade((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)
          sum[0] += r * a
          sum[1] += g * a
          sum[2] += b * a
          sum[3] += a
        }
      }
      const offset = (py * size + px) * 4
      const alpha = sum[3] / (samples * samples)
      pixels[offset] = alpha ? Math.round(sum[0] / sum[3]) : 0
      pixels[offset + 1] = alpha ? Math.round(sum[1] / sum[3]) : 0
      pixels[offset + 2] = alpha ? Math.round(sum[2] / sum[3]) : 0
      pixels[offset + 3] = Math.round(alpha)
    }
  }
  return pixels
}

function png(size) {
  const raw = render(size)
  const rows = Buffer.alloc((size * 4 + 1) * size)
  for (let y = 0; y < size; y++) raw.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  const chunk = (type, data) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 6, 0, 0, 0], 8) // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
const images = new Map(sizes.map((size) => [size, png(size)]))
mkdirSync(join(root, 'resources/build/icons'), { recursive: true })
writeFileSync(join(root, 'resources/icon.png'), images.get(1024))
// The page's own icon (the browser host's tab, the window's favicon requests).
writeFileSync(join(root, 'src/renderer/public/favicon.png'), images.get(32))
for (const size of sizes)
  writeFileSync(join(root, `resources/build/icons/${size}x${size}.png`), images.get(size))

// .ico: a directory of PNG images (Windows Vista and later).
const icoSizes = [16, 24, 32, 48, 64, 128, 256]
const icoHeader = Buffer.alloc(6 + 16 * icoSizes.length)
icoHeader.writeUInt16LE(0, 0)
icoHeader.writeUInt16LE(1, 2)
icoHeader.writeUInt16LE(icoSizes.length, 4)
let offset = icoHeader.length
icoSizes.forEach((size, i) => {
  const entry = 6 + i * 16
  const data = images.get(size)
  icoHeader.writeUInt8(size === 256 ? 0 : size, entry)
  icoHeader.writeUInt8(size === 256 ? 0 : size, entry + 1)
  icoHeader.writeUInt16LE(1, entry + 4)
  icoHeader.writeUInt16LE(32, entry + 6)
  icoHeader.writeUInt32LE(data.length, entry + 8)
  icoHeader.writeUInt32LE(offset, entry + 12)
  offset += data.length
})
writeFileSync(
  join(root, 'resources/build/icon.ico'),
  Buffer.concat([icoHeader, ...icoSizes.map((size) => images.get(size))]),
)

// .icns: PNG-encoded entries (macOS 10.7 and later).
const icnsTypes = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
]
const entries = icnsTypes.map(([type, size]) => {
  const data = images.get(size)
  const head = Buffer.alloc(8)
  head.write(type, 0)
  head.writeUInt32BE(data.length + 8, 4)
  return Buffer.concat([head, data])
})
const body = Buffer.concat(entries)
const icnsHead = Buffer.alloc(8)
icnsHead.write('icns', 0)
icnsHead.writeUInt32BE(body.length + 8, 4)
writeFileSync(join(root, 'resources/build/icon.icns'), Buffer.concat([icnsHead, body]))
console.info(`icons written for sizes ${sizes.join(', ')}`)
