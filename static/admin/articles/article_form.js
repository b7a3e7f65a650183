// The article form: the rich-text editor in French, a warning before leaving unsaved work,
// and a draft autosaved as a revision. Loaded in the page's head, before the editor starts.
"use strict";

(function () {
  // The editor's toolbar names its buttons in English; the form passes their French names.
  function translate(wrapper, labels) {
    // Only the toolbar: the text being written is never touched.
    wrapper.querySelectorAll(".prose-menubar [title], .prose-menubar [aria-label]").forEach(function (element) {
      for (const attribute of ["title", "aria-label"]) {
        const label = labels[element.getAttribute(attribute)];
        if (label) element.setAttribute(attribute, label);
      }
    });
    wrapper.querySelectorAll(".prose-menubar *").forEach(function (element) {
      const label = labels[element.textContent.trim().toLowerCase()];
      if (label && element.children.length === 0 && !element.classList.contains("material-icons")) {
        element.textContent = label;
      }
    });
  }

  document.addEventListener("prose-editor:ready", function (event) {
    const textarea = event.detail.textarea;
    const labels = JSON.parse(textarea.dataset.toolbarLabels || "{}");
    const wrapper = textarea.closest(".prose-editor") || textarea.parentElement;
    // The toolbar is drawn once the editor runs, and its menus when they open.
    const observer = new MutationObserver(function () {
      observer.disconnect();
      translate(wrapper, labels);
      observer.observe(wrapper, {childList: true, subtree: true});
    });
    translate(wrapper, labels);
    observer.observe(wrapper, {childList: true, subtree: true});
    const editable = event.detail.editor.view.dom;
    editable.setAttribute("spellcheck", "true");
    editable.setAttribute("lang", document.documentElement.lang || "fr");
    editable.setAttribute("aria-label", textarea.dataset.label || "");
    document.dispatchEvent(new CustomEvent("article-form:editor-ready"));
  });

  function snapshot(form, withFiles) {
    const parts = [];
    for (const [name, value] of new FormData(form)) {
      if (name === "csrfmiddlewaretoken") continue;
      if (value instanceof File) {
        if (withFiles && value.name) parts.push(name + "=" + value.name + ":" + value.size);
      } else {
        parts.push(name + "=" + value);
      }
    }
    return parts.join("&");
  }

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("article_form");
    if (!form) return;
    let saved = null;
    let submitting = false;
    const remember = function () { saved = snapshot(form, true); };
    // The editor may write its text back in its own form once started: compare from then on.
    document.addEventListener("article-form:editor-ready", function () { setTimeout(remember, 0); });
    window.addEventListener("load", function () { if (saved === null) remember(); });
    form.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("beforeunload", function (event) {
      if (!submitting && saved !== null && snapshot(form, true) !== saved) {
        event.preventDefault();
        event.returnValue = "";
      }
    });

    const status = document.getElementById("autosave-status");
    if (!status) return;
    const seconds = Number(status.dataset.seconds) || 30;
    let autosaved = null;
    async function autosave() {
      const current = snapshot(form, false);
      if (!submitting && saved !== null && current !== autosaved && snapshot(form, true) !== saved) {
        const data = new FormData(form);
        for (const [name, value] of Array.from(data)) {
          if (value instanceof File) data.delete(name);
        }
        try {
          const response = await fetch(status.dataset.url, {method: "POST", body: data, credentials: "same-origin"});
          if (response.ok) {
            autosaved = current;
            status.textContent = (await response.json()).message;
          }
        } catch (error) {
          status.textContent = status.dataset.failed;
        }
      }
      setTimeout(autosave, seconds * 1000);
    }
    setTimeout(autosave, seconds * 1000);
  });
})();
