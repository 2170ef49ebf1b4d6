import { useShallow } from 'zustand/react/shallow'
import { useEffect } from 'react'
import { useT } from '../../state/locale'
import { useModels } from '../../state/models'
import { ModelSource } from './ModelSource'
import { isAdmin, isDesk, useOffice } from '../../state/office'

/** Until a Whisper model is installed, says so and offers the one that suits this computer. */
export function ModelBanner({ onChoose }: { onChoose: () => void }) {
  const t = useT()
  const { view, load } = useModels(useShallow((state) => ({ view: state.view, load: state.load })))
  const admin = useOffice((state) => isAdmin(state.status))
  const desk = useOffice((state) => isDesk(state.status))
  useEffect(() => {
    if (!useModels.getState().view) void load()
  }, [load])
  if (!view || view.activeModelId) return null
  const suggested = view.models.find((model) => model.id === view.suggestedModelId)
  if (!suggested) return null
  // Staff at a desk cannot install the office's model: say who can.
  // A landmark of its own, so screen readers can find (and skip) it like the rest of the page.
  if (!admin)
    return (
      <aside className="banner" aria-label={t('models.bannerRegion')}>
        {t('models.bannerStaff')}
      </aside>
    )
  return (
    <aside className="banner" aria-label={t('models.bannerRegion')}>
      <ModelSource
        modelId={suggested.id}
        offer={t(desk ? 'models.bannerOffice' : 'models.banner', {
          model: suggested.name,
          size: suggested.sizeMb,
        })}
      />
      <button type="button" onClick={onChoose}>
        {t('models.bannerSettings')}
      </button>
    </aside>
  )
}
