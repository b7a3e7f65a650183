// Sensitive images: the reader chooses to see one. Without JavaScript, the "Show the image"
// link opens the image; with it, the link becomes a button that puts the picture in place of
// its blurred rendition, moves focus to it and tells screen readers it is shown.
(function () {
  "use strict";

  document.querySelectorAll("[data-sensitive]").forEach(function (figure) {
    var link = figure.querySelector("[data-reveal]");
    var frame = figure.querySelector("[data-sensitive-frame]");
    var picture = figure.querySelector("template[data-sensitive-picture]");
    var status = figure.querySelector("[data-reveal-status]");
    if (!link || !frame || !picture) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.textContent = link.textContent;
    button.setAttribute("aria-describedby", link.getAttribute("aria-describedby"));
    link.replaceWith(button);
    button.addEventListener("click", function () {
      frame.replaceChildren(picture.content.cloneNode(true));
      frame.classList.add("sensitive__frame--revealed");
      frame.focus();
      status.textContent = status.dataset.revealedMessage;
    });
  });
})();
