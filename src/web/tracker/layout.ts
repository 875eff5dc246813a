import type { Person } from '../../directory/person.js';
import { html, type Html } from './html.js';

export interface PageChrome {
  person: Person | null;
  csrfToken: string | null;
  /** Demo sign-in: anyone may act as anyone, said on every page. */
  demo: boolean;
  current?: 'cases' | 'wards' | 'services' | 'themes' | 'digests';
}

const NAV: { key: NonNullable<PageChrome['current']>; href: string; label: string }[] = [
  { key: 'cases', href: '/cases', label: 'My cases' },
  { key: 'wards', href: '/wards', label: 'Wards' },
  { key: 'services', href: '/services', label: 'Services' },
  { key: 'themes', href: '/themes', label: 'Themes' },
  { key: 'digests', href: '/digests', label: 'Digests' },
];

function serviceNav(chrome: PageChrome): Html {
  const items = chrome.person ? html`<nav aria-label="Menu" class="govuk-service-navigation__wrapper">
      <ul class="govuk-service-navigation__list" id="navigation">
        ${NAV.map((n) => (n.key === chrome.current
          ? html`<li class="govuk-service-navigation__item govuk-service-navigation__item--active"><a class="govuk-service-navigation__link" href="${n.href}" aria-current="page"><strong class="govuk-service-navigation__active-fallback">${n.label}</strong></a></li>`
          : html`<li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="${n.href}">${n.label}</a></li>`))}
      </ul>
    </nav>` : html``;
  return html`<div class="govuk-service-navigation" data-module="govuk-service-navigation">
  <div class="govuk-width-container"><div class="govuk-service-navigation__container">
    <span class="govuk-service-navigation__service-name"><a href="/" class="govuk-service-navigation__link">Ward Action Tracker</a></span>
    ${items}
  </div></div>
</div>`;
}

function account(chrome: PageChrome): Html {
  if (!chrome.person) return html``;
  return html`<div class="wl-account govuk-width-container">
  <p class="govuk-body-s">Signed in as <strong>${chrome.person.name}</strong> (${chrome.person.roles.join(', ').replace('_', ' ')})</p>
  <form method="post" action="/auth/sign-out"><input type="hidden" name="_csrf" value="${chrome.csrfToken ?? ''}">
    <button type="submit" class="govuk-button govuk-button--secondary wl-inline-button" data-module="govuk-button">Sign out</button></form>
</div>`;
}

function demoBanner(chrome: PageChrome): Html {
  if (!chrome.demo) return html``;
  return html`<div class="govuk-width-container"><div class="govuk-warning-text wl-demo" role="note">
  <span class="govuk-warning-text__icon" aria-hidden="true">!</span>
  <strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>Demo sign-in: no identity provider is configured, so anyone here can act as anyone. Do not enter residents' real details.</strong>
</div></div>`;
}

/** A page in the council's pattern: skip link, header, service navigation, main, footer. */
export function page(title: string, chrome: PageChrome, body: Html): Html {
  return html`<!doctype html>
<html lang="en-GB" class="govuk-template">
<head>
  <meta charset="utf-8">
  <title>${title} – Ward Action Tracker</title>
  <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
  <link rel="icon" href="/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/govuk/govuk-frontend.min.css">
  <link rel="stylesheet" href="/tracker.css">
</head>
<body class="govuk-template__body">
  <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>
  <header class="govuk-header" data-module="govuk-header">
    <div class="govuk-header__container govuk-width-container">
      <div class="govuk-header__logo"><a href="/" class="govuk-header__link govuk-header__link--homepage"><span class="wl-council">Birmingham City Council</span></a></div>
    </div>
  </header>
  ${serviceNav(chrome)}
  ${account(chrome)}
  ${demoBanner(chrome)}
  <div class="govuk-width-container">
    <main class="govuk-main-wrapper" id="main-content">
      ${body}
    </main>
  </div>
  <footer class="govuk-footer"><div class="govuk-width-container"><div class="govuk-footer__meta"><div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
    <p class="govuk-body-s">wardline: councillors' escalations, tracked. Figures are in council time.</p>
  </div></div></div></footer>
  <script type="module" src="/tracker.js"></script>
</body>
</html>`;
}

export function errorSummary(errors: string[]): Html {
  if (!errors.length) return html``;
  return html`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert">
  <h2 class="govuk-error-summary__title">There is a problem</h2>
  <div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">${errors.map((e) => html`<li>${e}</li>`)}</ul></div>
</div></div>`;
}
