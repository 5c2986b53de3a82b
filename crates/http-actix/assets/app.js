// Entry point of the client portal: a hash router over three views (catalog, subscription,
// client space). Hash routes keep every view on the one page `/` the server serves, so a
// shared link such as `#/subscribe/drf_…` needs no server-side route.

import { replace, focus, setTitle, clearAnnouncement } from './dom.js';
import { renderCatalog, loadCatalog } from './catalog.js';

// Every view needs the offers: ask for them before anything else is drawn.
loadCatalog().catch(() => {});

// The other views are imported when first shown, so the catalog does not wait for their code.
// The page already preloads every module (the server adds the links), so this costs no round.
const VIEWS = {
  catalog: async () => renderCatalog,
  subscribe: async () => (await import('./subscribe.js')).renderSubscribe,
  account: async () => (await import('./account.js')).renderAccount,
};

const main = document.getElementById('main');
let cleanup = null;

/** The page title of each view until the view names its own state (a step, a result). */
const TITLES = { catalog: 'Nos offres', subscribe: 'Souscrire en ligne', account: 'Mon espace' };

/** Only `#/…` hashes are routes; `#main` and other in-page anchors are not. */
function isRoute(hash) {
  return hash === '' || hash === '#' || hash.startsWith('#/');
}

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
  clearAnnouncement();
  replace(main);
  setTitle(TITLES[r.name]);
  const render = await VIEWS[r.name]();
  cleanup = (await render(main, r)) || null;
}

window.addEventListener('hashchange', (event) => {
  if (!isRoute(window.location.hash)) {
    // An in-page anchor: focus its target and keep the view (and its form) as it is; the
    // address goes back to the route so a reload still shows this view.
    const target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    window.history.replaceState(null, '', event.oldURL);
    focus(target);
    return;
  }
  // The view replaced the page: move focus to it, as a page load would.
  route().then(() => focus(main.querySelector('h1') || main));
});

// "Aller au contenu" moves focus into the page without touching the address or the view.
document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  focus(main);
});
route().then(() => {
  // Lets tests and tools know the first view is drawn (and when: the page-weight check).
  performance.mark('mtf-ready');
  document.documentElement.dataset.ready = 'true';
});
