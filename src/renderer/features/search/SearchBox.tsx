import { useT } from '../../state/locale'
import { useSearch } from '../../state/search'
import './search.css'

/** The search field in the top bar: results replace the list as the user types. */
export function SearchBox() {
  const t = useT()
  const text = useSearch((state) => state.text)
  const search = useSearch((state) => state.search)
  return (
    <input
      type="search"
      className="search-box"
      placeholder={t('search.placeholder')}
      aria-label={t('search.label')}
      value={text}
      dir="auto"
      onChange={(e) => void search(e.target.value)}
    />
  )
}
