// Signing out with answers not yet on the server (typed offline, or refused) would leave them
// in this browser, where the next person to use a shared tablet could find them. The log-out
// button asks first: staying lets them be sent once the connection returns; signing out anyway
// deletes them from this device. Answers are kept by result-entry.js under
// "avala:results:<assessment id>:<user id>".
const logout = document.querySelector("form[data-unsent-warning]");
if (logout) {
  const mine = (key) =>
    key.startsWith("avala:results:") && key.endsWith(`:${logout.dataset.user}`);
  logout.addEventListener("submit", (event) => {
    const unsent = Object.keys(window.localStorage).filter(mine);
    if (!unsent.length) return;
    if (!window.confirm(logout.dataset.unsentWarning)) {
      event.preventDefault();
      return;
    }
    for (const key of unsent) window.localStorage.removeItem(key);
    // The result-entry page holds them in memory too; should this log-out fail to leave (no
    // connection), it must not send them when the connection returns.
    window.dispatchEvent(new Event("avala:unsent-deleted"));
  });
}
