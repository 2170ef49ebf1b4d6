import { describe, expect, it } from 'vitest'
import { TwilioPoller } from '../../src/main/twilio/poller'

describe('the Twilio poller', () => {
  it('survives a connection that cannot be built (unreadable secrets): says not configured and keeps its timer', async () => {
    const logged: string[] = []
    const statuses: string[] = []
    let attempts = 0
    const poller = new TwilioPoller({
      connection: () => {
        attempts++
        return Promise.reject(new Error('secrets.json is damaged'))
      },
      pass: () => Promise.reject(new Error('no pass without a connection')),
      intervalMs: () => 20,
      onStatus: (status) => statuses.push(status.state),
      log: { info: () => undefined, warn: () => undefined, error: (message) => logged.push(message) },
    })
    poller.start()
    try {
      // The timer's own passes run too: an unhandled rejection there would fail this test file.
      await expect.poll(() => attempts).toBeGreaterThanOrEqual(3)
      expect((await poller.pollNow()).state).toBe('not-configured')
      expect(statuses.every((state) => state === 'not-configured')).toBe(true)
      expect(logged[0]).toContain('secrets.json is damaged')
    } finally {
      poller.stop()
    }
  })
})
