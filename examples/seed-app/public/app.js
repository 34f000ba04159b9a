// The seed's single-page app (reference §1): it never sees a token; its backend holds them in HttpOnly
// cookies. It asks the backend who is logged in, loads its data, and goes to log in when told to.
const dataPath = document.currentScript.dataset.path;
const $ = (id) => document.getElementById(id);

async function init() {
  const response = await fetch('/api/user');
  if (response.status === 404) {
    $('logged-out').hidden = false;
    return;
  }
  const user = await response.json();
  $('who').textContent = `Logged in as ${user.email ?? user.id}`;
  $('logged-in').hidden = false;
  await load();
}

async function load() {
  const response = await fetch(dataPath);
  if (response.status === 401) {
    // The refresh token is dead: log in again (steps 26–27).
    location.assign('/login');
    return;
  }
  const data = await response.json();
  $('items').replaceChildren(...data.items.map((item) => Object.assign(document.createElement('li'), { textContent: item })));
}

$('login').addEventListener('click', () => location.assign('/login'));
$('logout').addEventListener('click', () => location.assign('/logout'));
$('load').addEventListener('click', load);
init();
