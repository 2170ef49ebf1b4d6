import { describe, expect, it } from 'vitest'
import { requestNames, requests } from '../../src/shared/contract'
import { FUZZ_RUNS, FUZZ_SEED, anyValue, nearValue, seeded } from '../helpers/fuzz'
import { seedCall, transcriptOf } from '../helpers/seed'
import { createTestServices, dispatch, storeOf } from '../helpers/services'
import { tempDir } from '../helpers/temp'

/**
 * Every request of the contract with random and boundary arguments, as a buggy or hostile renderer
 * could send them (Electron's structured clone carries NaN, Infinity and undefined too). Each call must
 * settle with an envelope that says what was wrong — never an exception, never a generic "internal"
 * error — and the library must come out intact. Replay a failure with FUZZ_SEED and FUZZ_RUNS.
 */
const DEAD = 'http://127.0.0.1:9' // the discard port: nothing listens, connections are refused at once

describe(`the contract under fuzzing (seed ${FUZZ_SEED}, ${FUZZ_RUNS} calls per request)`, () => {
  it('answers every call with a clear envelope and keeps the library intact', async () => {
    const { services } = createTestServices(tempDir(), {
      twilioApiOrigin: DEAD,
      openAiBaseUrl: DEAD,
      modelUrl: (entry) => `${DEAD}/${entry.file}`,
    })
    const seeded_ = Array.from({ length: 5 }, (_, i) =>
      seedCall(storeOf(services), `fuzz-${i}`, {
        transcript: transcriptOf(['The kitchen sink is leaking.', 'A technician comes tomorrow at nine.']),
      }),
    )
    await services.start()
    const random = seeded(FUZZ_SEED)
    const problems: string[] = []
    try {
      for (const name of requestNames) {
        const schema = requests[name].input
        for (let run = 0; run < FUZZ_RUNS; run++) {
          const input = random.chance(0.6) ? nearValue(schema, random) : anyValue(random)
          const label = `${name} #${run} ${safeJson(input).slice(0, 200)}`
          const answer = await settleWithin(dispatch(services, name, input), 15_000).catch(
            (error: Error) => ({
              thrown: error.message,
            }),
          )
          const envelope = answer as { ok?: unknown; error?: { code?: unknown; message?: unknown } }
          if ('thrown' in (answer as object))
            problems.push(`${label}: threw ${(answer as { thrown: string }).thrown}`)
          else if (typeof envelope.ok !== 'boolean') problems.push(`${label}: not an envelope`)
          else if (!envelope.ok) {
            const { code, message } = envelope.error ?? {}
            if (typeof code !== 'string' || typeof message !== 'string' || message === '')
              problems.push(`${label}: an error without code or message`)
            else if (code === 'internal') problems.push(`${label}: internal error: ${message}`)
          }
        }
      }
      expect(problems).toEqual([])
      expect(await dispatch(services, 'app.info', {})).toMatchObject({ ok: true })
      for (const call of seeded_) {
        const detail = await dispatch(services, 'calls.get', { callSid: call.callSid })
        expect(detail).toMatchObject({ ok: true, value: { transcript: { segments: expect.any(Array) } } })
      }
    } finally {
      await services.close()
    }
  })
})

function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error as Error)),
    )
  })
}

function safeJson(value: unknown): string {
  try {
    return (
      JSON.stringify(value, (_key, item: unknown) =>
        typeof item === 'number' && !Number.isFinite(item)
          ? String(item)
          : item === undefined
            ? 'undefined'
            : item,
      ) ?? 'undefined'
    )
  } catch {
    return String(value)
  }
}
