import type { Connector } from '../model/connector.js';
import type { Db } from './open-database.js';

export type ConnectorStore = ReturnType<typeof createConnectorStore>;

/**
 * FusionAuth's Connectors (https://fusionauth.io/docs/apis/connectors), one row each, and the connector each user
 * authenticates against when it is not the FusionAuth one (manage/connector-login.ts).
 */
export function createConnectorStore(db: Db) {
  const upsert = db.prepare<[string, string, string]>(
    'INSERT INTO connectors (id, name, body) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, body = excluded.body',
  );
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM connectors WHERE id = ?');
  const byName = db.prepare<[string], { id: string }>('SELECT id FROM connectors WHERE name = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM connectors ORDER BY name COLLATE NOCASE, id');
  const remove = db.prepare<[string]>('DELETE FROM connectors WHERE id = ?');
  const userConnector = db.prepare<[string], { connector_id: string }>('SELECT connector_id FROM user_connectors WHERE user_id = ?');
  const setUserConnector = db.prepare<[string, string]>(
    'INSERT INTO user_connectors (user_id, connector_id) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET connector_id = excluded.connector_id',
  );
  const clearUserConnector = db.prepare<[string]>('DELETE FROM user_connectors WHERE user_id = ?');
  const parse = (row: { body: string }) => JSON.parse(row.body) as Connector;

  return {
    /** Inserts or replaces (the FusionAuth connector has a row only once it is renamed). */
    save: (connector: Connector) => void upsert.run(connector.id, connector.name, JSON.stringify(connector)),
    get: (id: string): Connector | undefined => {
      const row = byId.get(id.toLowerCase());
      return row ? parse(row) : undefined;
    },
    /** The id of the connector with this name, to report a duplicate name. */
    idByName: (name: string): string | undefined => byName.get(name)?.id,
    list: (): Connector[] => all.all().map(parse),
    delete: (id: string): boolean => remove.run(id.toLowerCase()).changes === 1,
    /** The connector the user authenticates against; undefined for the FusionAuth connector. */
    ofUser: (userId: string): string | undefined => userConnector.get(userId)?.connector_id,
    /** Binds the user to `connectorId`, or to the FusionAuth connector with undefined. */
    setOfUser: (userId: string, connectorId: string | undefined): void => {
      if (connectorId === undefined) clearUserConnector.run(userId);
      else setUserConnector.run(userId, connectorId);
    },
  };
}
