import Ajv, { type AnySchema } from 'ajv'
import addFormats from 'ajv-formats'
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connect, classifyTwilioError } from '../../src/main/twilio/client'
import type { TwilioEmulator } from '../../src/main/twilio/emulator/server'
import { ACCOUNT_SID, API_KEY, CREDENTIALS, seedFixtures, startEmulator } from '../helpers/twilio'
import { TWILIO_OPENAPI } from '../helpers/fixtures'

type Json = Record<string, unknown>

/** Twilio's OpenAPI description, normalised for Ajv as its README describes. */
function openApiValidator() {
  const spec = JSON.parse(readFileSync(TWILIO_OPENAPI, 'utf8')) as Json
  const normalise = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(normalise)
    if (node && typeof node === 'object') {
      const out: Json = {}
      for (const [key, value] of Object.entries(node)) out[key] = normalise(value)
      if (out['nullable'] === true) {
        delete out['nullable']
        if (typeof out['type'] === 'string') out['type'] = [out['type'], 'null']
        else if (out['$ref']) return { anyOf: [{ $ref: out['$ref'] }, { type: 'null' }] }
        else if (!out['type']) return out // nullable without a type: anything goes
      }
      return out
    }
    return node
  }
  const components = normalise((spec['components'] as Json)['schemas']) as Json
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addFormat(
    'date-time-rfc-2822',
    (value: string) =>
      !Number.isNaN(Date.parse(value)) &&
      /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/.test(value),
  )
  ajv.addFormat('uri-map', true)
  ajv.addFormat('uri', (value: string) => /^(https?:\/\/|\/)/.test(value))
  ajv.addSchema({ $id: 'twilio', components: { schemas: components } } as AnySchema)
  const paths = spec['paths'] as Record<string, Record<string, Json>>
  const schemaOf = (path: string) => {
    const response = ((paths[path]?.['get']?.['responses'] as Json)['200'] as Json)['content'] as Json
    const schema = normalise((response['application/json'] as Json)['schema']) as Json
    return JSON.parse(JSON.stringify(schema).replaceAll('"#/components', '"twilio#/components')) as AnySchema
  }
  return {
    listRecordings: ajv.compile(schemaOf('/2010-04-01/Accounts/{AccountSid}/Recordings.json')),
    recording: ajv.compile({ $ref: 'twilio#/components/schemas/api.v2010.account.recording' }),
    listCalls: ajv.compile(schemaOf('/2010-04-01/Accounts/{AccountSid}/Calls.json')),
    call: ajv.compile({ $ref: 'twilio#/components/schemas/api.v2010.account.call' }),
  }
}

let emulator: TwilioEmulator
beforeEach(async () => {
  emulator = await startEmulator()
  seedFixtures(emulator)
})
afterEach(() => emulator.close())

const auth = 'Basic ' + Buffer.from(`${API_KEY.sid}:${API_KEY.secret}`).toString('base64')
const getJson = async (path: string) =>
  (await fetch(`${emulator.origin}${path}`, { headers: { Authorization: auth } })).json() as Promise<Json>

describe('local Twilio emulator', () => {
  it("answers with the shapes of Twilio's own OpenAPI description", async () => {
    const validate = openApiValidator()
    const base = `/2010-04-01/Accounts/${ACCOUNT_SID}`
    const list = await getJson(`${base}/Recordings.json?PageSize=3`)
    expect(validate.listRecordings(list), JSON.stringify(validate.listRecordings.errors)).toBe(true)
    const recordings = list['recordings'] as Json[]
    expect(recordings).toHaveLength(3)
    for (const recording of recordings)
      expect(validate.recording(recording), JSON.stringify(validate.recording.errors)).toBe(true)
    const calls = await getJson(`${base}/Calls.json`)
    expect(validate.listCalls(calls), JSON.stringify(validate.listCalls.errors)).toBe(true)
    const call = await getJson(`${base}/Calls/${recordings[0]?.['call_sid']}.json`)
    expect(validate.call(call), JSON.stringify(validate.call.errors)).toBe(true)
    // and the validator is not a rubber stamp
    expect(validate.recording({ ...recordings[0], status: 'finished' })).toBe(false)
    expect(validate.call({ ...call, start_time: '2026-11-24T16:00:00Z' })).toBe(false)
  })

  it('pages with the real SDK, carrying the filters in next_page_uri', async () => {
    const { client } = connect(CREDENTIALS, emulator.origin)
    const seen: string[] = []
    let page: { instances: { sid: string }[]; nextPage(): Promise<unknown> | undefined } | undefined =
      await client.recordings.page({
        pageSize: 2,
        dateCreatedAfter: new Date(Date.UTC(2026, 10, 24)),
      })
    while (page) {
      seen.push(...page.instances.map((r) => r.sid))
      page = (await page.nextPage()) as typeof page
    }
    expect(seen).toHaveLength(emulator.recordings.size)
    expect(new Set(seen).size).toBe(seen.length)
    const listRequests = emulator.requestsTo(/Recordings\.json$/)
    expect(listRequests.length).toBe(Math.ceil(seen.length / 2))
    expect(listRequests.every((r) => r.query['DateCreated>']?.startsWith('2026-11-24'))).toBe(true)

    const older = await client.recordings.list({ dateCreatedAfter: new Date(Date.UTC(2026, 10, 25)) })
    expect(older).toEqual([])
    const first = await client.recordings(seen[0] as string).fetch()
    const call = await client.calls(first.callSid).fetch()
    expect(call.sid).toBe(first.callSid)
    expect(typeof first.duration).toBe('string')
  })

  it('speaks Twilio errors the SDK understands: bad credentials, 429 with Retry-After, 500', async () => {
    const rejected = connect(
      {
        ...CREDENTIALS,
        auth: { kind: 'api-key', keySid: API_KEY.sid, keySecret: 'wrong-secret-wrong-secret' },
      },
      emulator.origin,
    )
    const error = await rejected.client.recordings.list({ limit: 1 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 401, code: 20003 })
    expect(classifyTwilioError(error).kind).toBe('credentials')

    const connection = connect(CREDENTIALS, emulator.origin)
    emulator.inject({ path: /Recordings\.json$/, fault: { kind: 'status', status: 429, retryAfterSec: 7 } })
    const limited = await connection.client.recordings.list({ limit: 1 }).catch((e: unknown) => e)
    expect(classifyTwilioError(limited, connection)).toMatchObject({
      kind: 'rate-limited',
      retryAfterMs: 7000,
    })
    emulator.inject({ path: /Recordings\.json$/, fault: { kind: 'status', status: 429 } })
    const limitedNoHeader = await connection.client.recordings.list({ limit: 1 }).catch((e: unknown) => e)
    expect(classifyTwilioError(limitedNoHeader, connection)).toMatchObject({
      kind: 'rate-limited',
      retryAfterMs: null,
    })
    emulator.inject({ path: /Recordings\.json$/, fault: { kind: 'status', status: 500 } })
    const broken = await connection.client.recordings.list({ limit: 1 }).catch((e: unknown) => e)
    expect(classifyTwilioError(broken, connection).kind).toBe('server')
    expect((await connection.client.recordings.list({ limit: 1 })).length).toBe(1)
  })

  it('serves media only with credentials, with ranges and the two-channel file on request', async () => {
    const recording = [...emulator.recordings.values()].find(
      (r) => r.channels === 2 && r.processingUntil === undefined,
    )!
    const media = `${emulator.origin}/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${recording.sid}.mp3`
    expect((await fetch(media)).status).toBe(401)
    const dual = await fetch(`${media}?RequestedChannels=2`, {
      headers: { Authorization: auth, Range: 'bytes=0-9' },
    })
    expect(dual.status).toBe(206)
    expect(Buffer.from(await dual.arrayBuffer()).equals(recording.mp3!.subarray(0, 10))).toBe(true)
    const mono = await fetch(media, { headers: { Authorization: auth } })
    expect(Buffer.from(await mono.arrayBuffer()).equals(recording.monoMp3!)).toBe(true)
  })
})
