// The standard builder without a page reload per line. Every form inside the builder is sent
// with fetch; the server answers with the builder fragment rendered again (with the new line,
// or with the form's errors), which replaces the old one. Focus returns to the field or button
// that was used, so typing the next criterion can go on at once. Without JavaScript the same
// forms post normally and the page reloads.
const BUILDER = "#standard-builder";

async function send(form, submitter) {
  const body = new FormData(form);
  if (submitter && submitter.name) body.append(submitter.name, submitter.value);
  const focusAction = form.getAttribute("action");
  const focusValue = submitter ? submitter.value : null;
  let response;
  try {
    response = await fetch(form.action, {
      method: "POST",
      body,
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
  } catch (error) {
    window.location.reload();  // no answer: show the page as the server has it now
    return;
  }
  const type = response.headers.get("Content-Type") || "";
  if (!type.startsWith("text/html") || response.redirected || ![200, 409, 422].includes(response.status)) {
    window.location.reload();  // an answer that is not the fragment (error page, login)
    return;
  }
  const old = document.querySelector(BUILDER);
  const holder = document.createElement("div");
  holder.innerHTML = await response.text();
  const fresh = holder.querySelector(BUILDER);
  if (!old || !fresh) {
    window.location.reload();
    return;
  }
  old.replaceWith(fresh);
  restoreFocus(fresh, focusAction, focusValue);
}

function restoreFocus(root, action, value) {
  const invalid = root.querySelector("[aria-invalid='true']");
  if (invalid) {
    const details = invalid.closest("details");
    if (details) details.open = true;
    invalid.focus();
    return;
  }
  const form = action && root.querySelector(`form[action="${CSS.escape(action)}"]`);
  if (!form) return;
  const button = value ? form.querySelector(`button[value="${CSS.escape(value)}"]`) : null;
  let target = button || form.querySelector("textarea, input[type=text], button");
  const closed = target && target.closest("details:not([open])");
  if (closed) target = closed.querySelector("summary");
  if (target) target.focus();
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.closest(BUILDER)) return;
  event.preventDefault();
  send(form, event.submitter);
});
