import { app } from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { builtPaths, startElectronApp } from './electron/app'

const mainDir = dirname(fileURLToPath(import.meta.url))
// A library somewhere else than the user's profile: a portable install, support, the packaged-app smoke test.
if (process.env['CALLSCRIBE_DATA_DIR']) app.setPath('userData', process.env['CALLSCRIBE_DATA_DIR'])
const resourcesDir = app.isPackaged ? process.resourcesPath : join(mainDir, '../../resources')
startElectronApp(builtPaths(mainDir, resourcesDir, app.isPackaged))
