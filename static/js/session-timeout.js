// The idle-timeout warning (WCAG 2.2.1; the GOV.UK timeout-warning pattern). The page is told how
// many seconds were left when it was made, so a wrong clock on the computer does not matter. Before
// warning, and again when the time is up, it asks the server how long is left (a request that does
// not count as activity, so this script never keeps an idle session alive by itself): another tab
// may have been in use meanwhile. "Stay signed in" posts the dialog's form, which extends the
// session; when the time runs out the page goes to sign in, which brings the person back here.

const TICK_MS = 1000;
const ANNOUNCE_EVERY_SECONDS = 30;

function inWords(milliseconds) {
  const seconds = Math.max(0, Math.ceil(milliseconds / 1000));
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  if (rest || !minutes) parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
  return parts.join(" ");
}

export function startTimeoutWarning(dialog) {
  if (!dialog || typeof dialog.showModal !== "function") return;
  const warnBefore = Number(dialog.dataset.warnBefore) * 1000;
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const announcer = dialog.querySelector("[data-timeout-announce]");
  const form = dialog.querySelector("[data-timeout-extend]");
  const stay = form.querySelector("button:not([form])");
  let endsAt = Date.now() + Number(dialog.dataset.secondsLeft) * 1000;
  let busy = false;
  let leaving = false;
  let lastAnnounced = null;
  let returnFocusTo = null;

  const goToSignIn = () => {
    if (leaving) return;
    leaving = true;
    const here = window.location.pathname + window.location.search;
    window.location.assign(`${dialog.dataset.signInUrl}?next=${encodeURIComponent(here)}`);
  };

  // A JSON answer from the status check or from "Stay signed in"; anything else means signed out.
  const apply = async (response) => {
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok || !type.includes("application/json")) return goToSignIn();
    const state = await response.json();
    if (!state.signed_in) return goToSignIn();
    endsAt = Date.now() + state.seconds_left * 1000;
    return undefined;
  };

  const askServer = async () => {
    busy = true;
    try {
      await apply(await fetch(dialog.dataset.statusUrl, { headers: { Accept: "application/json" }, cache: "no-store" }));
    } catch {
      // Offline for a moment: keep counting on what we knew.
    } finally {
      busy = false;
    }
  };

  const open = () => {
    returnFocusTo = document.activeElement;
    lastAnnounced = Math.ceil((endsAt - Date.now()) / 1000 / ANNOUNCE_EVERY_SECONDS);
    announcer.textContent = "";
    countdown.textContent = inWords(endsAt - Date.now());
    dialog.showModal();
    stay.focus();
  };

  const close = () => {
    dialog.close();
    if (returnFocusTo && typeof returnFocusTo.focus === "function") returnFocusTo.focus();
  };

  const update = () => {
    const left = endsAt - Date.now();
    countdown.textContent = inWords(left);
    const step = Math.ceil(left / 1000 / ANNOUNCE_EVERY_SECONDS);
    if (step !== lastAnnounced) {
      lastAnnounced = step;
      announcer.textContent = `You will be signed out in ${inWords(left)}.`;
    }
  };

  const tick = async () => {
    if (busy || leaving) return;
    if (endsAt - Date.now() > warnBefore) {
      if (dialog.open) close();
      return;
    }
    if (!dialog.open || endsAt - Date.now() <= 0) {
      await askServer();
      if (leaving) return;
      if (endsAt - Date.now() > warnBefore) {
        if (dialog.open) close();
        return;
      }
      if (endsAt - Date.now() <= 0) {
        // The server still counts a moment or two; look again on the next tick.
        endsAt = Math.max(endsAt, Date.now());
      }
      if (!dialog.open) open();
    }
    update();
  };

  const extend = async () => {
    if (busy || leaving) return;
    busy = true;
    try {
      await apply(await fetch(form.action, { method: "POST", body: new FormData(form), headers: { Accept: "application/json" } }));
      if (!leaving) close();
    } catch {
      form.submit(); // the plain form still works
    } finally {
      busy = false;
    }
  };

  form.addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.hasAttribute("form")) return; // "Sign out"
    event.preventDefault();
    extend();
  });
  // Escape would close the dialog without extending anything: treat it as "Stay signed in".
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    extend();
  });
  window.setInterval(tick, TICK_MS);
}
