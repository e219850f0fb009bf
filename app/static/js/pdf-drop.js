// Lets an employer drop the PDF anywhere on the check form; without JavaScript the file input
// and button work as they are.
document.querySelectorAll("[data-drop-zone]").forEach((zone) => {
  const input = zone.querySelector("input[type=file]");
  const stop = (event) => { event.preventDefault(); event.stopPropagation(); };
  ["dragenter", "dragover"].forEach((name) => zone.addEventListener(name, (event) => {
    stop(event);
    zone.classList.add("drop-active");
  }));
  ["dragleave", "drop"].forEach((name) => zone.addEventListener(name, (event) => {
    stop(event);
    zone.classList.remove("drop-active");
  }));
  zone.addEventListener("drop", (event) => {
    if (!event.dataTransfer.files.length) return;
    input.files = event.dataTransfer.files;
    zone.requestSubmit();
  });
});
