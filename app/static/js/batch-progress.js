// Keeps a batch's progress current without reloading the page (and so without moving a screen
// reader's place); once the batch is finished, one reload shows every row's result.
const status = document.querySelector("[data-batch-progress]");
if (status && status.dataset.finished !== "true") {
  const bar = document.getElementById("batch-progress");
  const poll = async () => {
    const response = await fetch(status.dataset.batchProgress, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const progress = await response.json();
    for (const [name, value] of Object.entries(progress.counts)) {
      const cell = status.querySelector(`[data-count="${name}"]`);
      if (cell) cell.textContent = value;
    }
    bar.value = progress.counts.issued + progress.counts.failed;
    if (progress.finished) window.location.reload();
    else window.setTimeout(poll, 1500);
  };
  window.setTimeout(poll, 1500);
}
