// Progressive enhancement of the "Share this article" block. Without JavaScript the copy
// button is a plain link to the article and the share links still work.
(function () {
  "use strict";

  document.querySelectorAll("[data-copy-link]").forEach(function (link) {
    if (!navigator.clipboard) return;
    var status = link.parentElement.querySelector(".share__status");
    link.setAttribute("role", "button");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      navigator.clipboard.writeText(link.href).then(function () {
        if (status) status.textContent = status.dataset.copiedMessage;
      });
    });
  });

  document.querySelectorAll("[data-web-share]").forEach(function (button) {
    if (!navigator.share) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.share({ title: button.dataset.title, url: button.dataset.url }).catch(function () {
        // The reader closed the share sheet: nothing to do.
      });
    });
  });
})();
