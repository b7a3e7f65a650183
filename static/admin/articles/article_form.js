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

  // Django's admin widgets leave some controls without a name a screen reader can say: the
  // split date and time, tabular inline cells, select2's boxes, SelectFilter's help icons.
  function nameControls(form) {
    const label = function (element) {
      const own = element.id && form.querySelector('label[for="' + element.id + '"]');
      return own ? own.textContent.replace(/\s*:\s*$/, "").trim() : "";
    };
    form.querySelectorAll(".datetime input").forEach(function (input) {
      const field = input.closest(".form-row, td");
      const legend = field && field.querySelector("label");
      const part = input.classList.contains("vTimeField") ? "timeLabel" : "dateLabel";
      if (!input.hasAttribute("aria-label") && legend) {
        input.setAttribute("aria-label", legend.textContent.replace(/\s*:\s*$/, "").trim() + " – " + (input.dataset[part] || input.previousSibling.textContent.replace(":", "").trim()));
      }
    });
    form.querySelectorAll(".tabular tbody td input:not([type=hidden]), .tabular tbody td select").forEach(function (control) {
      if (control.hasAttribute("aria-label") || label(control)) return;
      const cell = control.closest("td");
      const header = cell.closest("table").querySelectorAll("thead th")[cell.cellIndex];
      if (header) control.setAttribute("aria-label", header.textContent.trim());
    });
    form.querySelectorAll(".select2-container").forEach(function (container) {
      const select = container.previousElementSibling;
      const name = (select && (label(select) || select.getAttribute("aria-label"))) || "";
      container.querySelectorAll('[role="combobox"], [role="textbox"], .select2-search__field').forEach(function (element) {
        if (name && !element.hasAttribute("aria-label")) element.setAttribute("aria-label", name);
      });
    });
    form.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("article_form");
    if (!form) return;
    let naming = false;
    const named = new MutationObserver(function () {
      if (naming) return;
      naming = true;
      requestAnimationFrame(function () {
        named.disconnect();
        nameControls(form);
        named.observe(form, {childList: true, subtree: true});
        naming = false;
      });
    });
    nameControls(form);
    named.observe(form, {childList: true, subtree: true});
    // An image over the limit is refused when chosen, not after the whole form was sent.
    form.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      const note = document.createElement("p");
      note.className = "errornote";
      note.setAttribute("role", "alert");
      note.hidden = true;
      input.after(note);
      input.addEventListener("change", function () {
        const file = input.files[0];
        const tooLarge = Boolean(file) && file.size > Number(input.dataset.maxBytes);
        if (tooLarge) input.value = "";
        note.textContent = tooLarge ? input.dataset.tooLarge : "";
        note.hidden = !tooLarge;
      });
    });
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
