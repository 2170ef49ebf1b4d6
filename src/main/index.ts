import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { builtPaths, startElectronApp } from './electron/app'

startElectronApp(builtPaths(dirname(fileURLToPath(import.meta.url))))
