import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { requireBody, requireMember } from '../../manage/request-body.js';
import { createTheme, deleteTheme, getTheme, listThemes, searchThemes, updateTheme } from '../../manage/themes.js';
import { isUuid } from '../../model/json.js';
import type { Theme } from '../../model/theme.js';
import { uuidParams } from './schemas.js';
import { searchRoutes } from './search-routes.js';

interface Params {
  themeId?: string;
}

/**
 * FusionAuth's Themes API (https://fusionauth.io/docs/apis/themes/advanced-themes): create, or copy with
 * `sourceThemeId`; retrieve one or all, the built-in theme among them; replace, merge-patch, delete; search.
 * Themes are stored and answered; Standin's hosted pages never render them (docs/themes.md).
 */
export async function themeRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('themeId');
  const load = (id: string | undefined) => {
    const theme = id === undefined ? undefined : getTheme(app.standin.stores, id);
    if (!theme) throw ApiError.notFound();
    return theme;
  };
  /** The theme a create copies (`sourceThemeId`), checked; undefined when the request copies none. */
  const sourceOf = (request: FastifyRequest): Theme | undefined => {
    const { sourceThemeId } = requireBody(request.body);
    if (sourceThemeId === undefined || sourceThemeId === null) return undefined;
    const source = isUuid(sourceThemeId) ? getTheme(app.standin.stores, sourceThemeId) : undefined;
    if (!source) new FieldErrors().add('sourceThemeId', 'invalid', 'The [sourceThemeId] property does not identify a theme.').throwIfAny();
    return source;
  };

  searchRoutes(app, '/theme/search', (search) => {
    const { results, total } = searchThemes(app.standin.stores, search.criteria, search.prefix);
    return { themes: results, total };
  });

  for (const url of ['/theme', '/theme/:themeId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => {
      const source = sourceOf(request);
      const input = requireMember(request.body, 'theme');
      return { theme: createTheme(app.standin.stores, app.standin.config.now(), request.params.themeId, input, source) };
    });
  }
  app.get('/theme', async () => ({ themes: listThemes(app.standin.stores) }));
  app.get<{ Params: Params }>('/theme/:themeId', { schema: { params } }, async (request) => ({ theme: load(request.params.themeId) }));
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/theme/:themeId', { schema: { params } }, async (request) => {
      const existing = load(request.params.themeId);
      const { stores, config } = request.server.standin;
      return { theme: updateTheme(stores, config.now(), existing, requireMember(request.body, 'theme'), mode) };
    });
  }
  app.delete<{ Params: Params }>('/theme/:themeId', { schema: { params } }, async (request, reply) => {
    deleteTheme(app.standin.stores, load(request.params.themeId));
    return reply.code(200).send();
  });
}
