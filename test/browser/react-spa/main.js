// A single-page app on FusionAuth's React SDK in hosted-backend mode, as a FusionAuth user writes one; the
// test serves its configuration (serverUrl, clientId, redirectUri) as /config.json.
import { FusionAuthProvider, useFusionAuth } from '@fusionauth/react-sdk';
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  const { isLoggedIn, userInfo, startLogin, startLogout, startRegister } = useFusionAuth();
  if (!isLoggedIn) {
    return h(
      'main',
      null,
      h('p', { role: 'status' }, 'Signed out'),
      h('button', { type: 'button', onClick: () => startLogin() }, 'Sign in'),
      h('button', { type: 'button', onClick: () => startRegister() }, 'Sign up'),
    );
  }
  return h(
    'main',
    null,
    h('p', { role: 'status' }, userInfo ? `Signed in as ${userInfo.given_name} ${userInfo.family_name}` : 'Loading'),
    h('button', { type: 'button', onClick: () => startLogout() }, 'Sign out'),
  );
}

const config = await (await fetch('/config.json')).json();
createRoot(document.getElementById('root')).render(
  h(FusionAuthProvider, { ...config, shouldAutoFetchUserInfo: true, shouldAutoRefresh: true }, h(App)),
);
