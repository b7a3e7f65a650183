// Live coverage: new updates arrive without reloading the page. Without JavaScript the page is
// complete when it loads, and "Earlier updates" is an ordinary link to the next page.
//
// The page polls a small JSON answer for the changes after the number it has. New updates
// wait behind a button ("3 nouvelles mises à jour") rather than moving the text under the
// reader; corrections replace their update in place, deleted updates go away.
(function () {
  "use strict";

  var root = document.querySelector("[data-live-poll]");
  if (!root || !window.fetch) return;

  var list = root.querySelector("[data-live-updates]");
  var news = root.querySelector("[data-live-news]");
  var button = root.querySelector("[data-live-show]");
  var status = root.querySelector("[data-live-status]");
  var text = root.dataset;
  var after = Number(text.liveAfter);
  var interval = Number(text.liveInterval) * 1000;
  var pending = new Map();
  var timer = null;

  function counted(template, count) {
    return template.replace("{count}", String(count));
  }

  function announce(message) {
    // Emptied first, so that the same words are announced again.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function fromHtml(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function itemOf(id) {
    var update = list.querySelector('[data-live-update="' + id + '"]');
    return update && update.closest("li");
  }

  function showButton() {
    var count = pending.size;
    if (count === 0) {
      news.hidden = true;
      return;
    }
    var message = counted(count === 1 ? text.liveOne : text.liveMany, count);
    if (button.textContent !== message) {
      button.textContent = message;
      announce(message);
    }
    news.hidden = false;
  }

  function apply(data) {
    if (data.reload) {
      button.textContent = text.liveReload;
      button.dataset.reload = "1";
      news.hidden = false;
      return false;
    }
    data.withdrawn.forEach(function (id) {
      pending.delete(id);
      var item = itemOf(id);
      if (item) item.remove();
    });
    data.updates.forEach(function (update) {
      var item = itemOf(update.id);
      if (item) {
        item.replaceChildren(fromHtml(update.html));  // a correction, in place
      } else {
        pending.set(update.id, update.html);
      }
    });
    after = data.sequence;
    showButton();
    if (!data.live) {
      // The coverage is over: the badge goes, and the page stays as the archive.
      var badge = root.querySelector(".live__badge");
      if (badge) {
        var ended = document.createElement("p");
        ended.className = "live__ended";
        ended.textContent = data.message || "";
        badge.replaceWith(ended);
      }
      announce(data.message || "");
      return false;
    }
    return true;
  }

  function poll() {
    timer = null;
    if (document.hidden) return;  // polled again when the page is visible
    fetch(text.livePoll + "?after=" + after, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        if (apply(data)) schedule();
      })
      .catch(function () {
        schedule(interval * 2);  // the network or the site is down: try again, more slowly
      });
  }

  function schedule(delay) {
    if (timer === null) timer = window.setTimeout(poll, delay || interval);
  }

  function insert() {
    if (button.dataset.reload) {
      window.location.reload();
      return;
    }
    var ids = Array.from(pending.keys()).sort(function (a, b) { return b - a; });
    var first = null;
    var empty = list.querySelector("[data-live-empty]");
    if (empty) empty.remove();
    ids.slice().reverse().forEach(function (id) {
      var item = document.createElement("li");
      item.appendChild(fromHtml(pending.get(id)));
      list.insertBefore(item, list.firstElementChild);
      first = item.firstElementChild;
    });
    pending.clear();
    news.hidden = true;
    button.textContent = "";
    if (first) {
      first.focus();
      announce(counted(ids.length === 1 ? text.liveShownOne : text.liveShownMany, ids.length));
    }
  }

  function loadEarlier(event) {
    var link = event.target.closest("[data-live-earlier]");
    if (!link) return;
    event.preventDefault();
    fetch(link.href)
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var first = null;
        var added = 0;
        page.querySelectorAll("[data-live-updates] > li").forEach(function (item) {
          var update = item.querySelector("[data-live-update]");
          if (!update || itemOf(update.dataset.liveUpdate)) return;
          var copy = document.importNode(item, true);
          list.appendChild(copy);
          first = first || copy.firstElementChild;
          added += 1;
        });
        var next = page.querySelector("[data-live-earlier]");
        if (next) {
          link.href = next.getAttribute("href");
        } else {
          link.closest("p").remove();
        }
        if (first) first.focus();
        announce(counted(text.liveEarlierShown, added));
      })
      .catch(function () {
        window.location.href = link.href;  // the ordinary link still works
      });
  }

  button.addEventListener("click", insert);
  root.addEventListener("click", loadEarlier);
  if (root.hasAttribute("data-live-running")) {
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) schedule(1);
    });
    schedule();
  }
})();
