import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ChatRequest {
  model: string
  messages: { role: string; content: string }[]
  response_format?: { type: string }
}

export type Reply =
  | { json: unknown; status?: number; headers?: Record<string, string>; delayMs?: number }
  | { content: string; delayMs?: number }

/**
 * A local OpenAI-compatible server (POST /v1/chat/completions, non-streaming) that records what it was
 * sent and answers from a script: scripted replies first, then `fallback`.
 */
export async function startLlmServer(fallback: (request: ChatRequest) => Reply) {
  const received: { request: ChatRequest; authorization: string | null }[] = []
  const script: Reply[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions'))
        return void res.writeHead(404).end()
      const request = JSON.parse(body) as ChatRequest
      received.push({ request, authorization: req.headers.authorization ?? null })
      const reply = script.shift() ?? fallback(request)
      const send = () => {
        if ('content' in reply) {
          const completion = {
            id: `chatcmpl-${received.length}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: request.model,
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: reply.content, refusal: null },
                finish_reason: 'stop',
                logprobs: null,
              },
            ],
            usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
          }
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(completion))
        } else {
          res
            .writeHead(reply.status ?? 200, { 'Content-Type': 'application/json', ...reply.headers })
            .end(JSON.stringify(reply.json))
        }
      }
      if (reply.delayMs) setTimeout(send, reply.delayMs)
      else send()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    received,
    script,
    close: () =>
      new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  }
}

/** A valid reply for a transcript whose lines are numbered like "[3] caller: …". */
export function validSummary(request: ChatRequest, text = 'The caller reported a leak.') {
  const user = request.messages.find((m) => m.role === 'user')?.content ?? ''
  const first = Number(/\[(\d+)\]/.exec(user)?.[1] ?? 0)
  return {
    summary: text,
    intent: 'Report a problem',
    sentiment: 'neutral',
    followUp: true,
    topics: ['leak'],
    actionItems: [
      { text: 'Call the caller back at [PHONE_1]', owner: 'staff', due: 'tomorrow', segments: [first] },
    ],
    keyPoints: [{ text: 'Water under the sink', segments: [first] }],
  }
}
