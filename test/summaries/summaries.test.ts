import { whatIsSent } from '../../src/shared/summary-destination'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Services } from '../../src/main/services'
import { extractiveSummary } from '../../src/main/summaries/extractive'
import { referenceTranscript } from '../helpers/fixtures'
import { startLlmServer, validSummary, type ChatRequest } from '../helpers/llm-server'
import { seedCall, transcriptOf } from '../helpers/seed'
import { createTestServices, waitFor, dispatch, storeOf } from '../helpers/services'
import { tempDir } from '../helpers/temp'

const PHONE = '050-765-4321'
const ISRAELI_ID = '123456782'
const EMAIL = 'dana@example.com'
const LINES = [
  `Hi, this is Dana, my number is ${PHONE} and my email is ${EMAIL}.`,
  `My ID number is ${ISRAELI_ID}. The kitchen sink is leaking.`,
  'We can send a technician tomorrow morning at nine.',
  'Please call me when he is on the way.',
]

let services: Services
let server: Awaited<ReturnType<typeof startLlmServer>>
let logs: string[]

async function setup(
  fallback: (request: ChatRequest) => ReturnType<Parameters<typeof startLlmServer>[0]>,
  options: { timeoutMs?: number } = {},
) {
  server = await startLlmServer(fallback)
  const test = createTestServices(tempDir(), {
    openAiBaseUrl: server.baseUrl,
    summaryTimeoutMs: options.timeoutMs,
  })
  services = test.services
  logs = test.logs
  await dispatch(services, 'summaries.updateSettings', {
    provider: 'openai',
    model: 'gpt-test',
    apiKey: 'sk-test-secret-key-0123456789',
  })
}

async function summarize(lines = LINES, language = 'en', seed = 'call') {
  const { recordingSid } = seedCall(storeOf(services), seed, {
    from: '+972507654321',
    transcript: transcriptOf(lines, language),
  })
  await services.queue.enqueue('recording-summary', recordingSid!)
  services.runner.start()
  return recordingSid!
}

const settledJob = (sid: string) => async () => {
  const job = await services.queue.find('recording-summary', sid)
  return (
    job?.state === 'done' || job?.state === 'failed' || (job?.state === 'queued' && job.lastError !== null)
  )
}

const stored = (sid: string) => {
  const recording = storeOf(services).recordings.get(sid)!
  const transcript = storeOf(services).transcripts.ofRecording(recording.id)!
  return storeOf(services).summaries.latestOf(transcript.id)
}

beforeEach(() => (logs = []))
afterEach(async () => {
  await services?.close()
  await server?.close()
})

describe('summaries through the openai SDK and an OpenAI-compatible server', () => {
  it('sends only masked text, asks for structured output, and stores the summary with the real values and citations', async () => {
    await setup((request) => ({ content: JSON.stringify(validSummary(request)) }))
    const sid = await summarize()
    await waitFor(settledJob(sid), 'the summary')
    const sent = JSON.stringify(server.received.map((r) => r.request.messages))
    for (const secret of [PHONE, '0507654321', ISRAELI_ID, EMAIL]) expect(sent).not.toContain(secret)
    expect(sent).toContain('[PHONE_1]')
    expect(sent).toContain('[ID_1]')
    expect(server.received[0]?.request.response_format).toMatchObject({ type: 'json_schema' })
    expect(server.received[0]?.authorization).toBe('Bearer sk-test-secret-key-0123456789')
    const summary = stored(sid)!
    expect(summary).toMatchObject({ provider: 'openai', model: 'gpt-test', followUp: true })
    expect(summary.actionItems[0]).toMatchObject({
      text: `Call the caller back at ${PHONE}`,
      citations: [{ segmentIndex: 0 }],
    })
    expect(logs.join('\n')).not.toContain('sk-test-secret-key')
    const view = await dispatch(services, 'summaries.getSettings', {})
    expect(JSON.stringify(view)).not.toContain('sk-test')
    expect(view).toMatchObject({
      ok: true,
      value: { hasApiKey: true },
    })
  })

  it('never summarizes the same transcript with the same prompt twice', async () => {
    await setup((request) => ({ content: JSON.stringify(validSummary(request)) }))
    const sid = await summarize()
    await waitFor(settledJob(sid), 'the summary')
    await services.queue.enqueue('recording-summary', sid, { force: true })
    await waitFor(
      async () => (await services.queue.find('recording-summary', sid))?.state === 'done',
      'the second run',
    )
    expect(server.received).toHaveLength(1)
    expect(storeOf(services).db.prepare('SELECT count(*) FROM summaries').pluck().get()).toBe(1)
  })

  it('retries a 429 (the SDK honours Retry-After) and then succeeds', async () => {
    await setup((request) => ({ content: JSON.stringify(validSummary(request)) }))
    server.script.push({
      status: 429,
      json: { error: { message: 'Rate limit', type: 'rate_limit_error' } },
      headers: { 'retry-after-ms': '50' },
    })
    const sid = await summarize()
    await waitFor(settledJob(sid), 'the summary')
    expect(server.received).toHaveLength(2)
    expect(await services.queue.find('recording-summary', sid)).toMatchObject({ state: 'done', attempts: 1 })
  })

  it('repairs a malformed reply once, and fails clearly when the repair is malformed too', async () => {
    await setup((request) => ({ content: JSON.stringify(validSummary(request)) }))
    server.script.push({ content: 'Sure! Here is the summary: the caller has a leak.' })
    const repaired = await summarize(LINES, 'en', 'repaired')
    await waitFor(settledJob(repaired), 'the repaired summary')
    expect(stored(repaired)?.summary).toBe('The caller reported a leak.')
    expect(server.received[1]?.request.messages.at(-1)?.content).toMatch(/not usable: not valid JSON/)

    server.script.push({ content: '{"summary": 1}' }, { content: 'still not json' })
    const broken = await summarize(LINES, 'en', 'broken')
    await waitFor(settledJob(broken), 'the failed summary')
    expect(await services.queue.find('recording-summary', broken)).toMatchObject({
      state: 'failed',
      lastError: { code: 'summary.invalid-reply' },
    })
  })

  it('rejects citations that point at no segment', async () => {
    await setup((request) => ({
      content: JSON.stringify({
        ...validSummary(request),
        keyPoints: [{ text: 'Invented', segments: [99] }],
      }),
    }))
    const sid = await summarize()
    await waitFor(settledJob(sid), 'the rejected summary')
    expect((await services.queue.find('recording-summary', sid))?.lastError).toMatchObject({
      code: 'summary.invalid-reply',
      params: { detail: expect.stringMatching(/cites segments that do not exist: 99/) },
    })
    expect(stored(sid)).toBeNull()
  })

  it('times out a server that does not answer, and keeps the job for a later retry', async () => {
    await setup((request) => ({ content: JSON.stringify(validSummary(request)), delayMs: 2000 }), {
      timeoutMs: 200,
    })
    const sid = await summarize()
    await waitFor(settledJob(sid), 'the timeout', 30_000)
    expect(await services.queue.find('recording-summary', sid)).toMatchObject({
      state: 'queued',
      lastError: { code: 'summary.timeout' },
    })
  })

  it('falls back to plain JSON when a server refuses structured outputs, and writes Hebrew calls in Hebrew', async () => {
    await setup((request) => {
      if (request.response_format)
        return {
          status: 400,
          json: {
            error: { message: "Unsupported parameter: 'response_format'", type: 'invalid_request_error' },
          },
        }
      return { content: JSON.stringify(validSummary(request, 'המתקשר דיווח על נזילה.')) }
    })
    await dispatch(services, 'summaries.updateSettings', {
      provider: 'compatible',
      baseUrl: server.baseUrl,
      model: 'llama3',
      apiKey: null,
    })
    const lines = referenceTranscript('clinic-he').lines.map((l) => l.text)
    const sid = await summarize(lines, 'he')
    await waitFor(settledJob(sid), 'the Hebrew summary')
    expect(server.received[0]?.request.messages[0]?.content).toContain('Write every field in Hebrew')
    expect(server.received.at(-1)?.request.response_format).toBeUndefined()
    expect(server.received.at(-1)?.authorization).toBe('Bearer not-needed')
    expect(stored(sid)).toMatchObject({
      provider: 'compatible',
      model: 'llama3',
      summary: 'המתקשר דיווח על נזילה.',
    })
    // Settings says nothing leaves the computer for a server on this computer.
    expect(
      whatIsSent({ provider: 'compatible', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3' }).code,
    ).toBe('summary.sends-this-computer')
    expect(
      whatIsSent({ provider: 'compatible', baseUrl: 'https://llm.example.com/v1', model: 'llama3' }).code,
    ).toBe('summary.sends-server')
  })

  it('refuses OpenAI without a key, saying what to do', async () => {
    const fresh = createTestServices(tempDir()).services
    try {
      expect(await dispatch(fresh, 'summaries.updateSettings', { provider: 'openai' })).toMatchObject({
        ok: false,
        error: { code: 'invalid-argument', notice: { code: 'summary.needs-key' } },
      })
      expect(await dispatch(fresh, 'summaries.getSettings', {})).toMatchObject({
        value: { provider: 'extractive' },
      })
      expect(
        await dispatch(fresh, 'summaries.updateSettings', {
          provider: 'openai',
          apiKey: 'sk-test-key-0000000000000000',
        }),
      ).toMatchObject({ ok: true })
    } finally {
      await fresh.close()
    }
  })

  it('never sends a key to a host it was not entered for: a new provider or address asks for one again', async () => {
    await setup((request) => ({ content: JSON.stringify(validSummary(request)) }))
    // The same server stands in for "another host": it is a different destination from OpenAI.
    await dispatch(services, 'summaries.updateSettings', {
      provider: 'compatible',
      baseUrl: server.baseUrl,
      model: 'llama3',
    })
    expect(await dispatch(services, 'summaries.getSettings', {})).toMatchObject({
      ok: true,
      value: { hasApiKey: false },
    })
    const sid = await summarize()
    await waitFor(settledJob(sid), 'the summary from the compatible server')
    for (const received of server.received) expect(received.authorization).toBe('Bearer not-needed')

    // A key entered for this server is sent to it, and only while its address stays the same.
    await dispatch(services, 'summaries.updateSettings', { apiKey: 'local-gateway-key-0001' })
    await dispatch(services, 'calls.resummarize', {
      callSid: storeOf(services).recordings.get(sid)!.call_sid,
    })
    await waitFor(
      () => server.received.at(-1)?.authorization === 'Bearer local-gateway-key-0001',
      'the keyed request',
    )
    await dispatch(services, 'summaries.updateSettings', {
      baseUrl: server.baseUrl.replace('127.0.0.1', 'localhost'),
    })
    expect(await dispatch(services, 'summaries.getSettings', {})).toMatchObject({
      value: { hasApiKey: false },
    })

    // Back to OpenAI: its own key is there again.
    await dispatch(services, 'summaries.updateSettings', { provider: 'openai' })
    expect(await dispatch(services, 'summaries.getSettings', {})).toMatchObject({
      value: { hasApiKey: true },
    })
  })

  it('summarizes a call longer than the context in parts and merges them', async () => {
    await setup((request) => ({ content: JSON.stringify(validSummary(request)) }))
    await dispatch(services, 'summaries.updateSettings', { contextTokens: 1000 })
    const long = Array.from(
      { length: 60 },
      (_, i) => `Line ${i}: the caller keeps describing the leaking pipe under the kitchen sink in detail.`,
    )
    const sid = await summarize(long)
    await waitFor(settledJob(sid), 'the merged summary')
    expect(server.received.length).toBeGreaterThan(2)
    expect(server.received.at(-1)?.request.messages.at(-1)?.content).toMatch(
      /^These are summaries of consecutive parts/,
    )
    expect(stored(sid)).not.toBeNull()
  })
})

describe('the extractive summary (no language model)', () => {
  it('finds the promises, times and key lines of the English fixture call, citing real lines', async () => {
    const lines = referenceTranscript('plumbing-en').lines
    const summary = extractiveSummary({
      language: 'en',
      segments: lines.map((l, index) => ({ index, speaker: l.speaker, text: l.text })),
    })
    expect(summary.followUp).toBe(true)
    const send = summary.actionItems.find((item) => /send a technician/.test(item.text))
    expect(send).toMatchObject({ owner: 'staff', due: 'tomorrow morning' })
    expect(summary.actionItems.some((item) => /call me when he is on the way/i.test(item.text))).toBe(true)
    for (const point of [...summary.keyPoints, ...summary.actionItems]) {
      for (const index of point.segments) expect(lines[index]).toBeDefined()
    }
    expect(summary.intent).toMatch(/water leaking under my kitchen sink/)
  })

  it('summarizes the Hebrew fixture call in Hebrew, with its appointment as an action item', async () => {
    const lines = referenceTranscript('clinic-he').lines
    const summary = extractiveSummary({
      language: 'he',
      segments: lines.map((l, index) => ({ index, speaker: l.speaker, text: l.text })),
    })
    expect(summary.summary).toMatch(/[\u05D0-\u05EA]/)
    expect(summary.actionItems.length).toBeGreaterThan(0)
    expect(summary.actionItems.some((item) => item.due !== null)).toBe(true)
    expect(extractiveSummary({ language: 'he', segments: [] }).summary).toBe('לא נשמע דיבור בשיחה.')
  })
})
