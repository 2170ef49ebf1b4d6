import {
  startOfficeServer,
  type OfficeServerOptions,
  type RunningOfficeServer,
} from '../../src/server/office-server'
import { selfSignedCertificate } from '../../src/server/tls'

/**
 * An office server on this machine as the tests (and the office bench) use it: loopback, its own
 * self-signed certificate (made in `dataDir`, kept across restarts like a real server's), no demo calls.
 */
export async function startTestOffice(
  dataDir: string,
  options: Partial<OfficeServerOptions> = {},
): Promise<RunningOfficeServer> {
  return startOfficeServer({
    dataDir,
    listen: { host: '127.0.0.1', port: 0 },
    certificate: await selfSignedCertificate(dataDir),
    address: (port) => `https://127.0.0.1:${port}`,
    demoAudioDir: null,
    ...options,
  })
}
