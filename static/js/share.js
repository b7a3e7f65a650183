// Progressive enhancement of the "Share this article" block. Without JavaScript the copy
// button is a plain link to the article and the share links still work.
(function () {
  "use strict";

  // How long "Link copied" stays, and the longer notice that the browser refused to copy.
  var COPIED_MS = 4000;
  var REFUSED_MS = 10000;

  document.querySelectorAll("[data-copy-link]").forEach(function (link) {
    if (!navigator.clipboard) return;
    var block = link.closest(".share");
    var status = block.querySelector(".share__status");
    var field = block.querySelector("input[type=url]");
    var timer;
    function say(message, duration) {
      clearTimeout(timer);
      status.textContent = message;
      timer = setTimeout(function () { status.textContent = ""; }, duration);
    }
    link.setAttribute("role", "button");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      navigator.clipboard.writeText(link.href).then(
        function () { say(status.dataset.copiedMessage, COPIED_MS); },
        function () {
          // Permission denied or no user gesture: leave the link ready to copy by hand.
          say(status.dataset.refusedMessage, REFUSED_MS);
          if (field) field.select();
        }
      );
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
