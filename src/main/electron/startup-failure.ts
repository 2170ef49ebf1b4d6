/**
 * What the user sees when the app cannot start: a dialog that says what failed and where, offers to open
 * the data folder, and then the app exits — never an invisible process holding the single-instance lock.
 * The renderer (and its translations) do not exist yet, so the few words live here, in both languages.
 */
export type StartupProblem =
  | 'database-locked'
  | 'database-damaged'
  | 'native-module'
  | 'data-folder'
  | 'other'

export function classifyStartupError(error: unknown): StartupProblem {
  const code = String((error as { code?: unknown } | null)?.code ?? '')
  const message = String((error as Error | null)?.message ?? error)
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return 'database-locked'
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code) || /migration/i.test(message)) return 'database-damaged'
  if (
    /NODE_MODULE_VERSION|was compiled against a different Node\.js version|better_sqlite3\.node/.test(message)
  )
    return 'native-module'
  if (['EACCES', 'EPERM', 'ENOSPC', 'EROFS'].includes(code)) return 'data-folder'
  return 'other'
}

const WORDS = {
  en: {
    title: 'CallScribe cannot start',
    openFolder: 'Open the data folder',
    quit: 'Quit',
    folder: 'Data folder',
    problems: {
      'database-locked':
        'The call library is in use by another program (or another copy of CallScribe). Close it and start CallScribe again.',
      'database-damaged':
        'The call library could not be opened: the file is damaged or was written by a newer version of CallScribe. Your recordings are still in the data folder.',
      'native-module': 'A part of CallScribe was built for another version of the app. Reinstall CallScribe.',
      'data-folder':
        'CallScribe cannot write to its data folder (no permission, or the disk is full or read-only).',
      other: 'Something went wrong while CallScribe was starting.',
    },
  },
  he: {
    title: 'לא ניתן להפעיל את CallScribe',
    openFolder: 'פתיחת תיקיית הנתונים',
    quit: 'יציאה',
    folder: 'תיקיית הנתונים',
    problems: {
      'database-locked':
        'ספריית השיחות נמצאת בשימוש של תוכנה אחרת (או של עותק נוסף של CallScribe). סגרו אותה והפעילו את CallScribe מחדש.',
      'database-damaged':
        'לא ניתן היה לפתוח את ספריית השיחות: הקובץ פגום או שנכתב על ידי גרסה חדשה יותר של CallScribe. ההקלטות עדיין נמצאות בתיקיית הנתונים.',
      'native-module': 'רכיב של CallScribe נבנה עבור גרסה אחרת של האפליקציה. התקינו את CallScribe מחדש.',
      'data-folder':
        'ל־CallScribe אין אפשרות לכתוב לתיקיית הנתונים (אין הרשאה, או שהדיסק מלא או לקריאה בלבד).',
      other: 'משהו השתבש בזמן הפעלת CallScribe.',
    },
  },
} as const

export interface StartupDialog {
  type: 'error'
  title: string
  message: string
  detail: string
  buttons: [string, string]
  defaultId: 1
  cancelId: 1
}

/** The dialog for a start-up error; button 0 opens the data folder, button 1 quits. */
export function startupDialog(error: unknown, dataDir: string, locale: string): StartupDialog {
  const words = locale.toLowerCase().startsWith('he') ? WORDS.he : WORDS.en
  const technical = error instanceof Error ? error.message : String(error)
  return {
    type: 'error',
    title: words.title,
    message: words.problems[classifyStartupError(error)],
    detail: `${words.folder}: ${dataDir}\n\n${technical}`,
    buttons: [words.openFolder, words.quit],
    defaultId: 1,
    cancelId: 1,
  }
}
