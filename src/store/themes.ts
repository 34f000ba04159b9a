import type { Theme } from '../model/theme.js';
import type { Db } from './open-database.js';

export type ThemeStore = ReturnType<typeof createThemeStore>;

/** The themes made through the Themes API; FusionAuth's built-in theme is not among them (manage/themes.ts). */
export function createThemeStore(db: Db) {
  const insert = db.prepare<[string, string, string]>('INSERT INTO themes (id, name, body) VALUES (?, ?, ?)');
  const update = db.prepare<[string, string, string]>('UPDATE themes SET name = ?, body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM themes WHERE id = ?');
  const byName = db.prepare<[string], { id: string }>('SELECT id FROM themes WHERE name = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM themes ORDER BY name COLLATE NOCASE, id');
  const remove = db.prepare<[string]>('DELETE FROM themes WHERE id = ?');
  const parse = (row: { body: string }) => JSON.parse(row.body) as Theme;

  return {
    insert: (theme: Theme) => void insert.run(theme.id, theme.name, JSON.stringify(theme)),
    update: (theme: Theme) => void update.run(theme.name, JSON.stringify(theme), theme.id),
    get: (id: string): Theme | undefined => {
      const row = byId.get(id.toLowerCase());
      return row ? parse(row) : undefined;
    },
    /** The id of the theme with this name, to report a duplicate name. */
    idByName: (name: string): string | undefined => byName.get(name)?.id,
    /** All stored themes, by name. */
    list: (): Theme[] => all.all().map(parse),
    delete: (id: string): boolean => remove.run(id.toLowerCase()).changes === 1,
  };
}
