import { encodeNotice, notice } from '../../src/shared/notice'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Services } from '../../src/main/services'
import type { TwilioEmulator } from '../../src/main/twilio/emulator/server'
import { emulatedSid, FORWARDED_TO, OFFICE_NUMBER } from '../../src/main/twilio/emulator/seed'
import { PENDING_GIVE_UP_MS, syncPass } from '../../src/main/twilio/sync'
import { connect } from '../../src/main/twilio/client'
import type { CallDetail, CallListItem } from '../../src/shared/types'
import { AUDIO_FIXTURES } from '../helpers/fixtures'
import { createTestServices, downloadsSettled, waitFor, dispatch, storeOf } from '../helpers/services'
import { tempDir } from '../helpers/temp'
import { CREDENTIALS, seedFixtures, startEmulator } from '../helpers/twilio'

/**
 * Accounts as real offices have them: forwarded calls, SIP trunks, withheld numbers, conference
 * recordings, records that change or vanish between list and fetch. Each shape affects only itself.
 */
let emulator: TwilioEmulator
let services: Services
const mp3 = readFileSync(join(AUDIO_FIXTURES, 'voicemail-en.mp3'))

beforeEach(async () => {
  emulator = await startEmulator()
  const test = createTestServices(tempDir(), { twilioApiOrigin: emulator.origin })
  services = test.services
  await services.workspace.saveCredentials(CREDENTIALS)
})
afterEach(async () => {
  await services.close()
  await emulator.close()
})

const list = () => storeOf(services).calls.list({ limit: 100 }).items
const detail = async (callSid: string) => {
  const answer = await dispatch(services, 'calls.get', { callSid })
  if (!answer.ok) throw new Error(answer.error.message)
  return answer.value as CallDetail
}
const itemOf = (callSid: string) => list().find((item) => item.callSid === callSid) as CallListItem

/** What syncPass needs, from the services under test (for passes at chosen times). */
const syncDeps = () => ({
  library: services.library,
  queue: services.queue,
  tracker: services.recordings,
  firstSyncDays: 30,
})

function addRecordedCall(name: string, call: Partial<Parameters<TwilioEmulator['addCall']>[0]> = {}) {
  const sid = emulatedSid('CA', name)
  const startTime = new Date(Date.now() - 10 * 60_000)
  emulator.addCall({
    sid,
    from: '+14155550100',
    to: OFFICE_NUMBER,
    direction: 'inbound',
    status: 'completed',
    startTime,
    durationSec: 14,
    ...call,
  })
  const recordingSid = emulatedSid('RE', name)
  emulator.addRecording({
    sid: recordingSid,
    callSid: sid,
    dateCreated: new Date(startTime.getTime() + 14_000),
    durationSec: 14,
    channels: 1,
    status: 'completed',
    mp3,
  })
  return { callSid: sid, recordingSid }
}

/**
 * A recorded call whose recording Twilio is still processing a week on, after the sync pass that first
 * lists it; `giveUp` runs the pass at which the app stops waiting for it (`givenUpAt`).
 */
async function stillProcessing(name: string) {
  const recorded = addRecordedCall(name)
  emulator.recordings.get(recorded.recordingSid)!.processingUntil = Date.now() + 7 * 86_400_000
  const connection = connect(CREDENTIALS, emulator.origin)
  const deps = syncDeps()
  await syncPass(connection, deps)
  const givenUpAt = Date.now() + PENDING_GIVE_UP_MS + 1000
  const giveUp = () => syncPass(connection, { ...deps, listDue: false }, givenUpAt)
  return { recorded, connection, deps, giveUp, givenUpAt }
}

describe('conversations, not call legs', () => {
  it('shows a forwarded call once: caller, number dialled, who answered, the recording, from either leg', async () => {
    const seeded = seedFixtures(emulator)
    await services.start()
    await services.sync.pollNow()
    const forwarded = seeded.find((s) => s.name === 'forwarded')!
    const childSid = emulatedSid('CA', 'forwarded-child-leg')

    expect(list().map((item) => item.callSid)).not.toContain(childSid)
    expect(itemOf(forwarded.callSid)).toMatchObject({
      direction: 'inbound',
      from: '+972528887766',
      to: OFFICE_NUMBER,
      answeredBy: FORWARDED_TO,
      recordingSid: forwarded.recordingSid,
    })
    // Opening the child leg (a search hit, a link) opens the conversation.
    expect(await detail(childSid)).toMatchObject({
      callSid: forwarded.callSid,
      answeredBy: FORWARDED_TO,
      recording: { recordingSid: forwarded.recordingSid },
    })
    // Search by the number that answered finds the conversation; the caller's history lists it once.
    const hits = await dispatch(services, 'search.query', { text: FORWARDED_TO.slice(-7) })
    expect(hits).toMatchObject({ ok: true, value: [{ callSid: forwarded.callSid }] })
    const history = await dispatch(services, 'calls.history', { number: '+972528887766' })
    expect(history).toMatchObject({ ok: true, value: [{ callSid: forwarded.callSid }] })
  })

  it('attaches a recording made on the child leg, and a child that arrives before its parent, to the parent', async () => {
    const store = storeOf(services)
    // The child leg first (another page, another pass), with its own recording.
    store.calls.upsertCall({
      sid: 'CAchild',
      from: OFFICE_NUMBER,
      to: FORWARDED_TO,
      direction: 'outbound-dial',
      status: 'completed',
      startTime: 2_000,
      durationSec: 50,
      parentCallSid: 'CAparent',
    })
    store.recordings.upsert(
      {
        sid: 'REchild',
        callSid: 'CAchild',
        twilioStatus: 'completed',
        errorCode: null,
        channels: 1,
        durationSec: 50,
        dateCreated: 52_000,
      },
      { availability: 'preparing', reason: null },
    )
    expect(list().map((item) => item.callSid)).toEqual(['CAchild']) // alone until the parent arrives
    store.calls.upsertCall({
      sid: 'CAparent',
      from: '+14155550123',
      to: OFFICE_NUMBER,
      direction: 'inbound',
      status: 'completed',
      startTime: 1_000,
      durationSec: 60,
    })
    expect(list()).toMatchObject([{ callSid: 'CAparent', answeredBy: FORWARDED_TO, recordingSid: 'REchild' }])
  })

  it('reads SIP-trunk directions as Twilio defines them, and shows parties that are not phone numbers', async () => {
    const inbound = addRecordedCall('trunk-in', {
      from: '+14155550177',
      to: 'sip:reception@pbx.office.example',
      direction: 'trunking-originating',
    })
    const outbound = addRecordedCall('trunk-out', {
      from: 'sip:noa@pbx.office.example',
      to: '+14155550188',
      direction: 'trunking-terminating',
    })
    const app = addRecordedCall('app-user', {
      from: 'client:noa',
      to: '+14155550199',
      direction: 'outbound-api',
    })
    const withheld = addRecordedCall('withheld', { from: null })
    await services.start()
    expect((await services.sync.pollNow()).state).toBe('idle')
    expect(itemOf(inbound.callSid)).toMatchObject({ direction: 'inbound', from: '+14155550177' })
    expect(itemOf(outbound.callSid)).toMatchObject({ direction: 'outbound', to: '+14155550188' })
    expect(itemOf(app.callSid)).toMatchObject({ direction: 'outbound', from: 'client:noa' })
    expect(itemOf(withheld.callSid)).toMatchObject({ direction: 'inbound', from: '' })
    const filtered = storeOf(services)
      .calls.list({ limit: 100, direction: 'inbound' })
      .items.map((i) => i.callSid)
    expect(filtered).toContain(inbound.callSid)
    expect(filtered).not.toContain(outbound.callSid)
    expect(
      storeOf(services)
        .calls.historyOf('+14155550177', 10)
        .map((i) => i.callSid),
    ).toEqual([inbound.callSid])
  })
})

describe('another account', () => {
  it('is imported from scratch: the last N days, not just what is newer than the previous account', async () => {
    addRecordedCall('recent')
    const older = addRecordedCall('ten-days-ago', { startTime: new Date(Date.now() - 10 * 86_400_000) })
    // The library last synced another account an hour ago (the demo, say).
    storeOf(services).syncState.set('twilio-calls', {
      cursor: String(Date.now()),
      lastOkAt: Date.now(),
      lastError: null,
    })
    storeOf(services).syncState.set('twilio-recordings', {
      cursor: String(Date.now()),
      lastOkAt: Date.now(),
      lastError: null,
    })
    storeOf(services).syncState.set('twilio-deep', { cursor: null, lastOkAt: Date.now(), lastError: null })
    await services.workspace.saveCredentials({ ...CREDENTIALS, accountSid: 'AC' + '0'.repeat(32) })
    await services.workspace.saveCredentials(CREDENTIALS) // and now the office's own account
    await services.start()
    await services.sync.pollNow()
    expect(storeOf(services).calls.getCall(older.callSid)).toBeDefined()
  })
})

describe('one bad record never stalls the sync', () => {
  it('keeps going past a call that vanished, a conference recording, and a record that does not parse', async () => {
    const good = addRecordedCall('good')
    // The recording's call was deleted between the listing and the fetch: Calls/CA….json answers 404.
    const orphan = addRecordedCall('orphan', { startTime: new Date(Date.now() - 3 * 86_400_000) })
    emulator.calls.delete(orphan.callSid)
    // A conference recording that names no call.
    emulator.addRecording({
      sid: emulatedSid('RE', 'conference'),
      callSid: null,
      conferenceSid: 'CF' + 'c'.repeat(32),
      dateCreated: new Date(Date.now() - 5 * 60_000),
      durationSec: 14,
      channels: 1,
      status: 'completed',
      mp3,
    })
    // A recording whose date Twilio sent garbled.
    const garbled = addRecordedCall('garbled')
    emulator.recordings.get(garbled.recordingSid)!.overrides = { date_created: 'not a date' }
    // A call (with no recording) whose every date is garbled: it cannot be placed in time at all.
    const undated = emulatedSid('CA', 'undated')
    emulator.addCall({
      sid: undated,
      from: '+14155550111',
      to: OFFICE_NUMBER,
      direction: 'inbound',
      status: 'completed',
      startTime: new Date(),
      durationSec: 3,
      overrides: { start_time: 'yesterday-ish', date_created: 'never' },
    })

    await services.start()
    const status = await services.sync.pollNow()
    expect(status).toMatchObject({ state: 'idle', lastError: null })
    // The one record that could not be read is named where Activity shows it, with the reason.
    expect(status.skipped).toEqual([
      { sid: undated, reason: notice('twilio.invalid-record', { detail: 'no valid start time' }) },
    ])
    expect(storeOf(services).syncState.get('twilio-recordings').cursor).not.toBeNull() // the cursor moved on
    await waitFor(() => downloadsSettled(services), 'downloads')
    for (const sid of [
      good.recordingSid,
      orphan.recordingSid,
      emulatedSid('RE', 'conference'),
      garbled.recordingSid,
    ])
      expect(storeOf(services).recordings.get(sid)?.availability, sid).toBe('ready')
    expect(itemOf(orphan.callSid)).toMatchObject({ from: '', recording: 'ready' }) // a stand-in call
    expect(itemOf('CF' + 'c'.repeat(32))).toMatchObject({ recording: 'ready' })
    // The garbled date costs the recording nothing: its call's start stands in.
    expect(storeOf(services).recordings.get(garbled.recordingSid)?.date_created).toBe(
      storeOf(services).calls.getCall(garbled.callSid)?.start_time,
    )
  })

  it('marks a recording deleted at Twilio while it was processing as missing at once', async () => {
    const processing = addRecordedCall('processing')
    emulator.recordings.get(processing.recordingSid)!.processingUntil = Date.now() + 3_600_000
    await services.start()
    await services.sync.pollNow()
    expect(storeOf(services).recordings.get(processing.recordingSid)?.availability).toBe('preparing')
    emulator.recordings.delete(processing.recordingSid)
    await services.sync.pollNow()
    expect(storeOf(services).recordings.get(processing.recordingSid)).toMatchObject({
      availability: 'missing',
      availability_reason: encodeNotice(notice('recording.deleted-at-twilio')),
    })
    expect(storeOf(services).twilioPending.size()).toBe(0)
  })

  it('gives up on a recording Twilio never finishes, after a day, with the reason', async () => {
    const { recorded: stuck, giveUp } = await stillProcessing('stuck')
    expect(storeOf(services).twilioPending.size()).toBe(1)
    await giveUp()
    expect(storeOf(services).recordings.get(stuck.recordingSid)).toMatchObject({
      availability: 'missing',
      availability_reason: encodeNotice(notice('recording.twilio-timeout')),
    })
  })
})

describe('recordings we no longer have', () => {
  it('audio removed after the retention period stays "removed" when the weekly look lists its call again', async () => {
    const old = addRecordedCall('kept-text', { startTime: new Date(Date.now() - 3 * 86_400_000) })
    await services.start()
    await services.sync.pollNow()
    await waitFor(
      async () => (await storeOf(services).recordings.get(old.recordingSid))?.availability === 'ready',
      'the download',
    )
    await services.retention.update({ deleteAudioAfterDays: 1 })
    const removed = { state: 'missing', reason: notice('recording.audio-removed', { days: 1 }) }
    expect((await detail(old.callSid)).recording?.availability).toEqual(removed)
    // Six hours on, the pass looks back a week: Twilio still lists the recording as completed.
    const connection = connect(CREDENTIALS, emulator.origin)
    const pass = await syncPass(connection, syncDeps(), Date.now() + 7 * 3_600_000)
    expect(pass.mode).toBe('deep')
    // Not "preparing" again (with its download long done, it would never be ready).
    expect((await detail(old.callSid)).recording?.availability).toEqual(removed)
  })

  it('a recording Twilio finishes after the app stopped waiting for it is downloaded after all', async () => {
    const { recorded: late, connection, deps, giveUp, givenUpAt } = await stillProcessing('late')
    await giveUp()
    expect(storeOf(services).recordings.get(late.recordingSid)?.availability).toBe('missing')
    emulator.recordings.get(late.recordingSid)!.processingUntil = Date.now()
    await syncPass(connection, deps, givenUpAt + 7 * 3_600_000)
    expect(storeOf(services).recordings.get(late.recordingSid)?.availability).toBe('preparing')
    expect(await services.queue.find('recording-download', late.recordingSid)).toMatchObject({
      state: 'queued',
    })
  })
})

describe('polling that costs little', () => {
  it('an idle poll costs two requests; an unfinished recording is asked about on its own, ever less often', async () => {
    seedFixtures(emulator, undefined, 3_600_000) // one recording stays "processing" for an hour
    const connection = connect(CREDENTIALS, emulator.origin)
    const deps = syncDeps()
    const start = Date.now()
    await syncPass(connection, deps, start) // the first import (and the deep listing)
    const requests = () => emulator.log.length
    let before = requests()
    const idle = await syncPass(connection, deps, start + 60_000)
    expect(idle.mode).toBe('quick')
    // One page of calls and one of recordings, and the one recording Twilio is still processing.
    expect(requests() - before).toBe(3)

    // Between listings only what is due is asked about, one request each time, ever less often: it was
    // first asked about 10 s after it was seen, then (above) at 60 s; next 20 s later, then 40 s, 80 s.
    const checksAt: number[] = []
    for (let t = start + 61_000; t < start + 240_000; t += 1000) {
      before = requests()
      await syncPass(connection, { ...deps, listDue: false }, t)
      if (requests() > before) checksAt.push(t - start)
      expect(requests() - before).toBeLessThanOrEqual(1)
    }
    expect(checksAt).toEqual([80_000, 120_000, 200_000])
  })
})

describe('downloads', () => {
  it('retries a download refused for the credentials by itself once the credentials change', async () => {
    const call = addRecordedCall('refused')
    emulator.inject({ path: /Recordings\/RE[0-9a-f]+\.mp3$/, fault: { kind: 'status', status: 403 } })
    await services.start()
    await services.sync.pollNow()
    await waitFor(
      async () => (await services.queue.find('recording-download', call.recordingSid))?.state === 'failed',
      'the refusal',
    )
    expect(storeOf(services).recordings.get(call.recordingSid)?.availability).toBe('failed')
    await dispatch(services, 'twilio.saveCredentials', { credentials: CREDENTIALS })
    await waitFor(
      () => storeOf(services).recordings.get(call.recordingSid)?.availability === 'ready',
      'the retry',
    )
  })

  it('retries a media host that answers HTML, and removes partial files of recordings that went missing', async () => {
    const call = addRecordedCall('captive-portal')
    emulator.inject({ path: /Recordings\/RE[0-9a-f]+\.mp3$/, fault: { kind: 'html' } })
    // A partial download of a recording that is no longer wanted, from an earlier run.
    const partial = join(services.paths.recordings, '.partial')
    mkdirSync(partial, { recursive: true })
    writeFileSync(join(partial, `${emulatedSid('RE', 'gone')}.mp3.part`), 'half a file')
    await services.start()
    expect(existsSync(join(partial, `${emulatedSid('RE', 'gone')}.mp3.part`))).toBe(false)
    await services.sync.pollNow()
    await waitFor(
      () => storeOf(services).recordings.get(call.recordingSid)?.availability === 'ready',
      'the retry',
    )
    expect((await services.queue.find('recording-download', call.recordingSid))?.attempts).toBe(2)
  })

  it('Retry in the player downloads a recording whose download failed', async () => {
    const call = addRecordedCall('retry-from-player')
    emulator.inject({ path: /Recordings\/RE[0-9a-f]+\.mp3$/, fault: { kind: 'status', status: 403 } })
    await services.start()
    await services.sync.pollNow()
    await waitFor(
      () => storeOf(services).recordings.get(call.recordingSid)?.availability === 'failed',
      'the failure',
    )
    const answer = await dispatch(services, 'recordings.prepare', { recordingSid: call.recordingSid })
    expect(answer).toMatchObject({ ok: true, value: { state: 'preparing' } })
    await waitFor(
      () => storeOf(services).recordings.get(call.recordingSid)?.availability === 'ready',
      'the retry',
    )
  })
})
