/**
 * Where an RSA or EC signature is computed: on libuv's thread pool, so that the event loop serves other clients
 * meanwhile and a second core signs, or inline on the event loop, which saves the two hops to a pool thread and
 * back (bench/README.md, "Where signatures run").
 *
 * On the pool only when it pays: several clients have lately been served at once (one client waiting for each
 * answer gains nothing from the pool), and no password check holds the cores (argon2id runs on the same pool; a
 * signature behind it would cost the request more turns of a loop busy answering the excess with 503s).
 */
export function signOnPoolWhen(load: { concurrentClients: () => boolean; passwordChecksRunning: () => number }): () => boolean {
  return () => load.passwordChecksRunning() === 0 && load.concurrentClients();
}
