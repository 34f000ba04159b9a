// A public single-page app on oidc-client-ts, as its users write one: the authorization code flow with PKCE
// and no client secret, userinfo, refresh with the refresh token, and sign-out through end_session_endpoint.
// The test serves its configuration (authority, client_id, origin) as /config.json.
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';

const status = document.querySelector('[role="status"]');
const show = (text) => {
  status.textContent = text;
};
const signedIn = (user) => show(`Signed in as ${user.profile.given_name} ${user.profile.family_name} <${user.profile.email}>`);

const config = await (await fetch('/config.json')).json();
const manager = new UserManager({
  authority: config.authority,
  client_id: config.clientId,
  redirect_uri: `${location.origin}/callback`,
  post_logout_redirect_uri: `${location.origin}/signed-out`,
  response_type: 'code',
  scope: 'openid offline_access email profile',
  loadUserInfo: true,
  automaticSilentRenew: false,
  userStore: new WebStorageStateStore({ store: window.localStorage }),
});
// For the test to read what the library holds.
window.currentUser = async () => (await manager.getUser())?.toStorageString() ?? null;

const act = (action) => async () => {
  try {
    await action();
  } catch (error) {
    show(`Error: ${error.message}`);
  }
};
document.getElementById('sign-in').addEventListener(
  'click',
  act(() => manager.signinRedirect()),
);
document.getElementById('refresh').addEventListener(
  'click',
  act(async () => {
    const user = await manager.signinSilent();
    show(`Refreshed: ${user.profile.given_name} ${user.profile.family_name}`);
  }),
);
document.getElementById('sign-out').addEventListener(
  'click',
  act(() => manager.signoutRedirect()),
);

await act(async () => {
  if (location.pathname === '/callback') {
    const user = await manager.signinRedirectCallback();
    history.replaceState(null, '', '/');
    signedIn(user);
  } else if (location.pathname === '/signed-out') {
    await manager.signoutRedirectCallback();
    show((await manager.getUser()) ? 'Still signed in' : 'Signed out');
  } else if (config.discoverOnly) {
    // The app on an origin CORS does not allow: discovery alone, which the browser must block.
    await manager.metadataService.getMetadata();
    show('Discovery fetched');
  } else {
    const user = await manager.getUser();
    if (user) signedIn(user);
    else show('Signed out');
  }
})();
