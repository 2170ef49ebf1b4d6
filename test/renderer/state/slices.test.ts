import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Services } from '../../../src/main/services'
import { seedCall, transcriptOf } from '../../helpers/seed'
import { createTestServices, storeOf } from '../../helpers/services'
import { tempDir } from '../../helpers/temp'
import { installDom } from '../dom'
import { connectRenderer } from '../renderer-api'

let services: Services
let removeDom: () => Promise<void>
let requests: string[]
beforeEach(async () => {
  removeDom = installDom()
  services = createTestServices(tempDir()).services
  ;({ requests } = connectRenderer(services))
  vi.resetModules()
})
afterEach(async () => {
  vi.useRealTimers()
  await services.close()
  await removeDom()
})

describe('the renderer state slices', () => {
  it('a failed request lands in the slice’s error, and the next success clears it', async () => {
    const { useJobs } = await import('../../../src/renderer/state/jobs')
    await useJobs.getState().retry(4242)
    expect(useJobs.getState().error).toBe('That task is no longer in the list.')
    await useJobs.getState().load()
    expect(useJobs.getState().error).toBeNull()
  })

  it('the call list loads with its filters and patches one recording’s row without reloading', async () => {
    const { recordingSid } = seedCall(storeOf(services), 'patched', { from: '+14155550123' })
    seedCall(storeOf(services), 'other', { from: '+14155550999' })
    const { useCalls } = await import('../../../src/renderer/state/calls')
    await useCalls.getState().load({ direction: 'inbound' })
    expect(useCalls.getState().items).toHaveLength(2)
    const loads = requests.filter((name) => name === 'calls.list').length
    useCalls.getState().patchRecording(recordingSid!, { hasTranscript: true })
    const rows = useCalls.getState().items
    expect(rows.find((row) => row.recordingSid === recordingSid)?.hasTranscript).toBe(true)
    expect(rows.filter((row) => row.hasTranscript)).toHaveLength(1)
    expect(requests.filter((name) => name === 'calls.list')).toHaveLength(loads)
  })

  it('while a recording is at Twilio, the open call polls a bounded number of times at the hinted pace', async () => {
    const { callSid } = seedCall(storeOf(services), 'processing', {
      recording: { twilioStatus: 'processing' },
    })
    const { useCallDetail, MAX_FALLBACK_POLLS } = await import('../../../src/renderer/state/call-detail')
    vi.useFakeTimers()
    await useCallDetail.getState().open(callSid)
    const availability = useCallDetail.getState().detail?.recording?.availability
    expect(availability).toMatchObject({ state: 'preparing', stage: 'twilio-processing' })
    const retryAfterMs = (availability as { retryAfterSec: number }).retryAfterSec * 1000
    await vi.advanceTimersByTimeAsync(retryAfterMs - 1)
    expect(requests.filter((name) => name === 'calls.get')).toHaveLength(1) // not before the hint
    await vi.advanceTimersByTimeAsync(retryAfterMs * (MAX_FALLBACK_POLLS + 10))
    expect(requests.filter((name) => name === 'calls.get')).toHaveLength(1 + MAX_FALLBACK_POLLS)
    useCallDetail.getState().close()
  })

  it('a follow-up ticked while the call reloads stays ticked: the reload’s older answer is dropped', async () => {
    const { callSid } = seedCall(storeOf(services), 'reviewed', { from: '+14155550123' })
    const { useCallDetail } = await import('../../../src/renderer/state/call-detail')
    await useCallDetail.getState().open(callSid)
    // A reload (another desk's change, a reconnection) whose answer arrives after the person's change.
    const calls = window.callscribe.call as unknown as Record<string, (input: unknown) => Promise<unknown>>
    const get = calls['calls.get']!
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    calls['calls.get'] = async (input) => {
      const answer = await get(input)
      await held
      return answer
    }
    const reload = useCallDetail.getState().refresh()
    await useCallDetail.getState().review({ followUp: true })
    expect(useCallDetail.getState().detail?.review.followUp).toBe(true)
    release()
    await reload
    expect(useCallDetail.getState().detail?.review.followUp).toBe(true)
    calls['calls.get'] = get
    useCallDetail.getState().close()
  })

  it('search waits for a pause in typing: one query for a word typed key by key, for the latest text', async () => {
    seedCall(storeOf(services), 'searchable', { transcript: transcriptOf(['the technician comes at nine']) })
    const { useSearch, SEARCH_DEBOUNCE_MS } = await import('../../../src/renderer/state/search')
    vi.useFakeTimers()
    const typed = 'technician'
    for (let i = 1; i <= typed.length; i++) void useSearch.getState().search(typed.slice(0, i))
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS + 50)
    expect(requests.filter((name) => name === 'search.query')).toHaveLength(1)
    await vi.waitFor(() => expect(useSearch.getState().hits).toHaveLength(1))
    useSearch.getState().clear()
  })

  it('estimates the time a running job has left from the pace it keeps, once the pace means something', async () => {
    const { useJobs, timeLeftSec } = await import('../../../src/renderer/state/jobs')
    const at = Date.UTC(2026, 10, 1, 9)
    useJobs.setState({ jobs: [] })
    useJobs.getState().setProgress(7, 0.1, at)
    useJobs.getState().setProgress(7, 0.12, at + 2_000)
    const start = useJobs.getState().progressStarts[7]
    expect(start).toEqual({ at, progress: 0.1 }) // the first report is where the pace is measured from
    expect(timeLeftSec(start, 0.12, at + 2_000)).toBeNull() // 2 % in 2 s says little yet
    // 30 % of the work in 30 s: the remaining 60 % take about a minute.
    expect(timeLeftSec(start, 0.4, at + 30_000)).toBe(60)
  })
})
