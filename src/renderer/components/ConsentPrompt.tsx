import { useT } from '../state/locale'
import { isDesk, useOffice } from '../state/office'

/** Asked before a secret is stored where the operating system cannot protect it. */
export function ConsentPrompt({ onAgree }: { onAgree: () => void }) {
  const t = useT()
  // A desk of the office saves the secret on the office server, not on this computer.
  const question = useOffice((state) =>
    isDesk(state.status) ? t('secrets.consentOffice') : t('secrets.consent'),
  )
  return (
    <div role="alertdialog" aria-label={question} className="consent">
      <p>{question}</p>
      <button type="button" onClick={onAgree}>
        {t('secrets.consentYes')}
      </button>
    </div>
  )
}
