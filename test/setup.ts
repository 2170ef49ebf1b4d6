/**
 * Runs in every test file before its tests. The afterAll registered here runs after the file's own
 * afterAll hooks (vitest runs after-hooks in reverse order), so services and servers are closed before
 * their folders go.
 */
import { afterAll } from 'vitest'
import { removeAllTempDirs } from './helpers/temp'

afterAll(() => removeAllTempDirs())
