import { escapeHtml } from './http-io.js';

// The sign-in form: plain HTML that works without the page's script, posting to /login with the
// login form's CSRF token (the double-submitted `vk_hq_login` cookie; there is no session yet to keep
// a synchronizer token in).

export function loginPage(csrf: string, problem?: string): string {
  const alert = problem ? `<p class="problem" role="alert">${escapeHtml(problem)}</p>` : '';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/styles.css" />
    <title>Sign in – vipps-kiosk HQ</title>
  </head>
  <body>
    <main class="login">
      <h1>vipps-kiosk HQ</h1>
      ${alert}
      <form method="post" action="/login">
        <input type="hidden" name="csrf" value="${escapeHtml(csrf)}" />
        <label for="name">User name</label>
        <input id="name" name="name" autocomplete="username" required autofocus />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
    </main>
  </body>
</html>
`;
}
