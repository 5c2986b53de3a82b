// Entry point of the client portal: a hash router over three views (catalog, subscription,
// client space). Hash routes keep every view on the one page `/` the server serves, so a
// shared link such as `#/subscribe/drf_…` needs no server-side route.

import { replace, focus } from './dom.js';
import { renderCatalog } from './catalog.js';
import { renderSubscribe } from './subscribe.js';
import { renderAccount } from './account.js';

const main = document.getElementById('main');
let cleanup = null;

/** `#/subscribe/drf_1?offer=ofr_2` → `{ name: 'subscribe', param: 'drf_1', query }`. */
function parseRoute(hash) {
  const raw = (hash || '').replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean);
  const query = new URLSearchParams(search);
  const views = { subscribe: 'subscribe', account: 'account' };
  return { name: views[parts[0]] || 'catalog', param: parts[1] || '', query };
}

function markNav(name) {
  for (const link of document.querySelectorAll('.nav a')) {
    if (link.dataset.route === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function route() {
  if (cleanup) cleanup();
  cleanup = null;
  const r = parseRoute(window.location.hash);
  markNav(r.name);
  replace(main);
  const render = { catalog: renderCatalog, subscribe: renderSubscribe, account: renderAccount }[r.name];
  cleanup = (await render(main, r)) || null;
  const heading = main.querySelector('h1');
  if (heading) document.title = `${heading.textContent} — MT Télécom`;
}

window.addEventListener('hashchange', () => {
  // The view replaced the page: move focus to it, as a page load would.
  route().then(() => focus(main.querySelector('h1') || main));
});
route().then(() => {
  // Lets tests and tools know the first view is drawn.
  document.documentElement.dataset.ready = 'true';
});
