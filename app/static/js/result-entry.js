// Saves each answer of the result-entry form as the evaluator goes, so nothing typed is lost.
// Every change is first kept in this browser (localStorage, by assessment and user), then sent
// to the server (assessments.autosave_results) as ordinary form fields with the CSRF token;
// an answer leaves localStorage only once the server has it. Without a connection the answers
// wait and are sent when it returns (the "online" event, or a retry); opening the page again
// puts any unsent answers back into the form first. The status says which, for screen readers
// too (role=status). Without JavaScript the form is a plain form that "Save results" posts.
const form = document.querySelector("form[data-autosave]");
if (form) {
  const key = form.dataset.storageKey;
  const state = form.querySelector("[data-save-state]");
  const progress = form.querySelector("[data-progress]");
  const csrf = form.querySelector("input[name=csrf_token]").value;
  const RETRY_MS = 5000;
  const TYPING_MS = 800;
  let sending = false;
  let again = false;
  let retry = null;
  let typing = null;
  let inflight = Promise.resolve();
  let submitting = false;

  // pending = { "<item id>": { answer, observation }, feedback: "…" }: what is not on the server.
  const load = () => {
    try {
      return JSON.parse(window.localStorage.getItem(key)) || {};
    } catch {
      return {};
    }
  };
  let pending = load();
  const keep = () => {
    if (Object.keys(pending).length) window.localStorage.setItem(key, JSON.stringify(pending));
    else window.localStorage.removeItem(key);
  };

  const show = (name, detail = "") => {
    state.hidden = false;
    state.dataset.state = name;
    state.textContent = detail ? `${state.dataset[name]} ${detail}` : state.dataset[name];
  };

  const answerOf = (id) => form.querySelector(`input[name="item_${id}"]:checked`)?.value || "";
  const observationOf = (id) => form.querySelector(`[name="observation_${id}"]`)?.value || "";
  // Only an answered item can be stored (met / not met is the result); an observation typed
  // before the answer waits in this browser until the answer is chosen.
  const sendable = () =>
    Object.entries(pending).filter(([id, entry]) => id === "feedback" || entry.answer);

  const updateSummary = (id) => {
    const row = form.querySelector(`[data-summary-for="${id}"]`);
    const choice = form.querySelector(`input[name="item_${id}"]:checked`);
    if (!row || !choice) return;
    row.querySelector("[data-summary-result]").textContent =
      choice.value === "not_met" ? `✗ ${choice.parentElement.textContent.trim()}`
        : choice.parentElement.textContent.trim();
    row.classList.toggle("row-not-met", choice.value === "not_met");
    row.querySelector("[data-summary-observation]").textContent = observationOf(id);
  };
  const updateProgress = () => {
    const items = form.querySelectorAll("[data-item]");
    const answered = [...items].filter((item) => item.querySelector("input:checked")).length;
    progress.textContent = progress.dataset.template
      .replace("{answered}", answered)
      .replace("{total}", items.length);
  };

  const remember = (field) => {
    if (field.name === "feedback") {
      pending.feedback = field.value;
    } else {
      const id = field.name.match(/^(?:item|observation)_(\d+)$/)?.[1];
      if (!id) return false;
      pending[id] = { answer: answerOf(id), observation: observationOf(id) };
      updateSummary(id);
    }
    keep();
    updateProgress();
    return true;
  };

  const later = (ms) => {
    window.clearTimeout(retry);
    retry = window.setTimeout(send, ms);
  };

  function send() {
    if (sending) {
      again = true;
      return inflight;
    }
    if (submitting) return inflight;
    inflight = sendNow();
    return inflight;
  }

  async function sendNow() {
    const batch = sendable();
    if (!batch.length) return;
    if (!navigator.onLine) {
      show("offline");
      return;
    }
    sending = true;
    show("pending");
    const body = new URLSearchParams({ csrf_token: csrf });
    for (const [id, entry] of batch) {
      if (id === "feedback") {
        body.append("feedback", entry);
      } else {
        body.append(`item_${id}`, entry.answer);
        body.append(`observation_${id}`, entry.observation);
      }
    }
    try {
      const response = await fetch(form.dataset.autosave, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-Requested-With": "fetch" },
      });
      const isJson = (response.headers.get("Content-Type") || "").includes("json");
      if (response.ok && isJson && !response.redirected) {
        // Forget only what was sent unchanged: an answer changed meanwhile is sent next.
        for (const [id, entry] of batch) {
          if (JSON.stringify(pending[id]) === JSON.stringify(entry)) delete pending[id];
        }
        keep();
        show(sendable().length ? "pending" : "saved");
      } else if (isJson && response.status < 500) {
        // Refused by a rule (signed off meanwhile, accreditation lapsed): retrying cannot help;
        // the answers stay in this browser and the reason is shown.
        show("refused", (await response.json()).error || "");
      } else {
        show("pending");
        later(RETRY_MS);
      }
    } catch {
      show(navigator.onLine ? "pending" : "offline");
      later(RETRY_MS);
    } finally {
      sending = false;
      if (again && !submitting) {
        again = false;
        inflight = sendNow();
      }
    }
  }

  // Unsent answers from before (the page was closed or reloaded without a connection) win over
  // what the server showed: they are newer, typed here and not yet sent.
  for (const [id, entry] of Object.entries(pending)) {
    if (id === "feedback") {
      const feedback = form.querySelector("[name=feedback]");
      if (feedback) feedback.value = entry;
      continue;
    }
    const choice = form.querySelector(`input[name="item_${id}"][value="${entry.answer}"]`);
    if (choice) choice.checked = true;
    const observation = form.querySelector(`[name="observation_${id}"]`);
    if (observation) observation.value = entry.observation;
    updateSummary(id);
  }
  updateProgress();
  if (Object.keys(pending).length) send();

  form.addEventListener("change", (event) => {
    if (remember(event.target)) send();
  });
  form.addEventListener("input", (event) => {
    if (event.target.tagName !== "TEXTAREA" || !remember(event.target)) return;
    window.clearTimeout(typing);
    typing = window.setTimeout(send, TYPING_MS);
  });
  // Posting the whole form without a connection would only show the browser's error page.
  // With one, the form posts every answer itself: first let a save under way finish, so that
  // the two never write at the same moment (SQLite would refuse one of them).
  form.addEventListener("submit", (event) => {
    if (!navigator.onLine) {
      event.preventDefault();
      show("offline");
      return;
    }
    if (submitting) return;
    submitting = true;
    window.clearTimeout(typing);
    window.clearTimeout(retry);
    if (sending) {
      event.preventDefault();
      const submitter = event.submitter;
      inflight.finally(() => form.requestSubmit(submitter));
    }
  });
  window.addEventListener("online", send);
  // The evaluator chose to log out and delete what was not sent (unsent-answers.js).
  window.addEventListener("avala:unsent-deleted", () => {
    pending = {};
    submitting = true; // sends nothing more from this page
    window.clearTimeout(typing);
    window.clearTimeout(retry);
  });
  window.addEventListener("offline", () => show("offline"));
}
