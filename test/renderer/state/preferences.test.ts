import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Services } from '../../../src/main/services'
import { createTestServices, storeOf } from '../../helpers/services'
import { tempDir } from '../../helpers/temp'
import { installDom } from '../dom'
import { connectRenderer } from '../renderer-api'

let services: Services
let removeDom: () => Promise<void>
beforeEach(async () => {
  removeDom = installDom()
  services = createTestServices(tempDir()).services
  connectRenderer(services)
  localStorage.clear()
  vi.resetModules() // each test loads the slice fresh, like a new window
})
afterEach(async () => {
  await services.close()
  await removeDom()
})

const loadSlice = async () => (await import('../../../src/renderer/state/locale')).usePreferences

describe('interface preferences (language, first run) live in main', () => {
  it('choosing Hebrew turns the page right to left and is kept by main for the next window', async () => {
    const first = await loadSlice()
    await first.getState().load()
    expect(first.getState()).toMatchObject({ loaded: true, choice: null, onboarded: false })
    await first.getState().choose('he')
    expect(document.documentElement.dir).toBe('rtl')
    expect(document.documentElement.lang).toBe('he')
    expect(storeOf(services).settings.get('interface').locale).toBe('he')

    vi.resetModules()
    const next = await loadSlice()
    await next.getState().load()
    expect(next.getState().locale).toBe('he')
  })

  it('what an older version kept in localStorage moves to main once', async () => {
    localStorage.setItem('callscribe-locale', 'he')
    localStorage.setItem('callscribe-onboarded', '1')
    const slice = await loadSlice()
    await slice.getState().load()
    expect(storeOf(services).settings.get('interface')).toEqual({ locale: 'he', onboarded: true })
    expect(localStorage.getItem('callscribe-locale')).toBeNull()
    expect(slice.getState()).toMatchObject({ locale: 'he', onboarded: true })
  })

  it('another window changing the language reaches this one through main’s event', async () => {
    const { connectEvents } = await import('../../../src/renderer/state/events')
    const slice = await loadSlice()
    await slice.getState().load()
    const disconnect = connectEvents(() => {})
    try {
      await window.callscribe.call['preferences.update']({ locale: 'he' }) // the other window
      expect(slice.getState().locale).toBe('he')
      expect(document.documentElement.dir).toBe('rtl')
    } finally {
      disconnect()
    }
  })
})
