import { useT } from '../state/locale'

/** Asked before a secret is stored where the operating system cannot protect it. */
export function ConsentPrompt({ onAgree }: { onAgree: () => void }) {
  const t = useT()
  return (
    <div role="alertdialog" aria-label={t('secrets.consent')} className="consent">
      <p>{t('secrets.consent')}</p>
      <button type="button" onClick={onAgree}>
        {t('secrets.consentYes')}
      </button>
    </div>
  )
}
