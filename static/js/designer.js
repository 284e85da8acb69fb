// The designer's small client side: row formsets, errors beside touched fields, copy buttons,
// a playground message box emptied once sent, and a warning before leaving with unsaved
// changes. Everything else is htmx.
// Unsaved means the form differs from what the server last acknowledged saving, so a change
// event that changes nothing (a blur) never makes the page ask before leaving.
(function () {
  "use strict";
  // Field paths, the grammar of designer/core/fieldpath.py (tests run both on the same keys):
  // identifier keys as `.name`, list indices as `[3]`, any other key as a JSON string `["a.b"]`.
  const fieldPath = (() => {
    const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
    const TOKEN = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(0|[1-9][0-9]*)\]|\[("(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*")\]/y;
    const FIRST = /[A-Za-z_][A-Za-z0-9_]*/y;

    function appendPath(base, ...parts) {
      let out = base;
      for (const part of parts) {
        if (typeof part === "number") out += `[${part}]`;
        else if (IDENTIFIER.test(part)) out += out ? `.${part}` : part;
        else out += `[${JSON.stringify(part)}]`;
      }
      return out;
    }

    function parsePath(text) {
      const parts = [];
      let at = 0;
      FIRST.lastIndex = 0;
      if (FIRST.exec(text)) { parts.push(text.slice(0, FIRST.lastIndex)); at = FIRST.lastIndex; }
      while (at < text.length) {
        TOKEN.lastIndex = at;
        const match = TOKEN.exec(text);
        if (!match || (match[1] !== undefined && !parts.length)) throw new Error(`not a field path: ${text}`);
        if (match[1] !== undefined) parts.push(match[1]);
        else if (match[2] !== undefined) parts.push(Number(match[2]));
        else parts.push(JSON.parse(match[3]));
        at = TOKEN.lastIndex;
      }
      return parts;
    }

    // An input name is a path with an optional type suffix (`:int`); a quoted key may hold ":".
    function splitName(name) {
      const match = /^(.*):([a-z]+)$/s.exec(name);
      return match ? [match[1], match[2]] : [name, "str"];
    }

    const isWithin = (path, prefix) => path === prefix || path.startsWith(prefix + ".") || path.startsWith(prefix + "[");

    return { appendPath, formatPath: (...parts) => appendPath("", ...parts), parsePath, splitName, isWithin };
  })();
  window.designerFieldPath = fieldPath;

  const touched = new Set();
  // The form as last saved (its fields, not the version or page token), and whether the page is
  // being left by an explicit submit, which must not ask "Leave site?".
  let savedState = null;
  let submitting = false;
  const UNCOMPARED = new Set(["_version", "_editor", "csrfmiddlewaretoken"]);
  const editorForm = () => document.querySelector("form[data-autosave]");

  function formState(form) {
    const entries = [...new FormData(form)].filter(([name]) => !UNCOMPARED.has(name));
    return JSON.stringify(entries.map(([name, value]) => [name, String(value)]));
  }

  function unsaved() {
    const form = editorForm();
    return Boolean(form) && savedState !== null && formState(form) !== savedState;
  }

  const pathOf = (input) => fieldPath.splitName(input.name || "")[0];

  function renumber(container) {
    const listPath = container.dataset.rows;
    // A row's names all start with the row's path: only that first index is renumbered.
    const pattern = new RegExp("^" + listPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "\\[(\\d+|__i__)\\]");
    container.querySelectorAll(":scope > [data-row]").forEach((row, index) => {
      const rowPath = fieldPath.appendPath(listPath, index);
      const replace = (value) => value.replace(pattern, rowPath);
      row.querySelectorAll("[name]").forEach((el) => { el.name = replace(el.name); });
      row.querySelectorAll("[data-path]").forEach((el) => { el.dataset.path = replace(el.dataset.path); });
      row.querySelectorAll("[data-error-for]").forEach((el) => { el.dataset.errorFor = replace(el.dataset.errorFor); });
      row.querySelectorAll(".field").forEach((fieldEl) => {
        const control = fieldEl.querySelector("[name]:not([type=hidden]), .checks");
        const label = fieldEl.querySelector(":scope > label");
        if (!control || !label) return;
        const id = "f-" + (fieldEl.dataset.path || "").replace(/[^A-Za-z0-9_-]/g, "-");
        control.id = id;
        label.htmlFor = id;
        const described = [];
        for (const [selector, suffix] of [[":scope > .help", "-help"], [":scope > .field-error", "-error"]]) {
          const note = fieldEl.querySelector(selector);
          if (note) { note.id = id + suffix; described.push(note.id); }
        }
        control.setAttribute("aria-describedby", described.join(" "));
      });
      row.dataset.path = rowPath;
    });
  }

  function changed(form) {
    form.dispatchEvent(new Event("designer:changed", { bubbles: true }));
  }

  function addRow(button) {
    const listPath = button.dataset.addRow;
    const template = document.querySelector(`template[data-row-template="${CSS.escape(listPath)}"]`);
    const container = document.querySelector(`[data-rows="${CSS.escape(listPath)}"]`);
    const row = template.content.firstElementChild.cloneNode(true);
    container.appendChild(row);
    renumber(container);
    const preset = button.dataset.preset ? JSON.parse(button.dataset.preset) : {};
    for (const [key, value] of Object.entries(preset)) {
      const path = fieldPath.appendPath(row.dataset.path, key);
      const input = [...row.querySelectorAll("[name]")].find((el) => pathOf(el) === path);
      if (input) { input.value = value; touched.add(pathOf(input)); }
    }
    showTemplateDefaults(row);
    const first = row.querySelector("input:not([type=hidden]), select");
    if (first) first.focus();
    changed(button.closest("form"));
  }

  // A rule from a template shows the template's default, min, max and precision where it
  // leaves them empty (the values Dify then applies).
  const TEMPLATE_KEYS = ["default", "min", "max", "precision"];
  function showTemplateDefaults(row) {
    const data = document.getElementById("parameter-templates");
    if (!data || !row || !row.dataset.path) return;
    const inputAt = (key) => [...row.querySelectorAll("[name]")].find((el) => pathOf(el) === fieldPath.appendPath(row.dataset.path, key));
    const select = inputAt("use_template");
    if (!select) return;
    const template = JSON.parse(data.textContent)[select.value] || {};
    for (const key of TEMPLATE_KEYS) {
      const input = inputAt(key);
      const value = template[key];
      if (input) input.placeholder = value === undefined || value === null ? "" : `${value} (template)`;
    }
  }

  document.addEventListener("click", (event) => {
    const target = event.target.closest("[data-add-row], [data-remove-row], [data-move], [data-copy], [data-focus-path], [data-keep-mine]");
    if (!target) return;
    if (target.matches("[data-add-row]")) { addRow(target); return; }
    if (target.matches("[data-copy]")) {
      const text = document.querySelector(target.dataset.copy).innerText;
      navigator.clipboard && navigator.clipboard.writeText(text);
      target.textContent = "Copied";
      return;
    }
    if (target.matches("[data-focus-path]")) {
      event.preventDefault();
      focusPath(target.dataset.focusPath);
      return;
    }
    if (target.matches("[data-keep-mine]")) {
      document.getElementById("spec-version").value = target.dataset.version;
      changed(document.getElementById("section-form"));
      return;
    }
    const row = target.closest("[data-row]");
    const container = row.parentElement;
    const form = target.closest("form");
    if (target.matches("[data-remove-row]")) row.remove();
    else if (target.dataset.move === "up" && row.previousElementSibling) container.insertBefore(row, row.previousElementSibling);
    else if (target.dataset.move === "down" && row.nextElementSibling) container.insertBefore(row.nextElementSibling, row);
    renumber(container);
    changed(form);
  });

  function focusPath(path) {
    const input = document.querySelector(`[name="${CSS.escape(path)}"], [name^="${CSS.escape(path)}:"]`)
      || document.querySelector(`[data-path="${CSS.escape(path)}"] input, [data-path="${CSS.escape(path)}"] select`);
    if (input) { input.focus(); input.scrollIntoView({ block: "center" }); }
  }

  function showErrors() {
    const data = document.getElementById("findings-data");
    if (!data) return;
    const findings = JSON.parse(data.textContent);
    document.querySelectorAll("[data-error-for]").forEach((el) => { el.textContent = ""; });
    document.querySelectorAll(".invalid").forEach((el) => el.classList.remove("invalid"));
    for (const finding of findings) {
      const slot = document.querySelector(`[data-error-for="${CSS.escape(finding.path)}"]`);
      if (!slot) continue;
      const owner = slot.closest("[data-path]");
      const fieldTouched = [...touched].some((p) => fieldPath.isWithin(p, finding.path));
      if (!fieldTouched) continue;
      slot.textContent = (slot.textContent ? slot.textContent + " " : "") + finding.message;
      slot.classList.toggle("warning", finding.level === "warning");
      if (owner) owner.classList.add("invalid");
    }
  }

  document.addEventListener("input", (event) => {
    if (event.target.closest("[data-autosave]")) touched.add(pathOf(event.target));
  });
  document.addEventListener("change", (event) => {
    if (event.target.closest("[data-autosave]")) touched.add(pathOf(event.target));
    if (pathOf(event.target).endsWith(".use_template")) showTemplateDefaults(event.target.closest("[data-row]"));
  });
  // Each autosave remembers the form it sent; its answer, unless a conflict, means that saved.
  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt;
    if (form && form.matches && form.matches("form[data-autosave]")) event.detail.xhr.designerState = formState(form);
  });
  // Autosave of a [data-partial-save] form sends only the fields that changed since the last
  // save the server acknowledged (and _partial=1): a keystroke costs the server the field typed,
  // not the whole form. The whole form goes when there is no acknowledged save yet, when any
  // field name or row origin changed (rows added, removed, moved), or after a conflict.
  const ALWAYS_SENT = new Set(["csrfmiddlewaretoken", "_version", "_editor", "_lists"]);
  const acknowledged = new WeakMap(); // form -> the values of its last acknowledged save

  function formValues(formData) {
    const values = new Map();
    for (const name of formData.keys()) {
      if (!ALWAYS_SENT.has(name) && !values.has(name)) values.set(name, formData.getAll(name));
    }
    return values;
  }

  function changedSince(before, now) {
    if (!before || before.size !== now.size) return null;
    const changedNames = [];
    for (const [name, values] of now) {
      const old = before.get(name);
      if (!old) return null;
      if (old.length !== values.length || old.some((v, i) => v !== values[i])) {
        if (name.endsWith("._origin")) return null;
        changedNames.push(name);
      }
    }
    return changedNames;
  }

  document.addEventListener("htmx:configRequest", (event) => {
    const form = event.detail.elt;
    if (!(form instanceof HTMLFormElement) || !form.matches("[data-partial-save]")) return;
    const all = event.detail.formData;
    const values = formValues(all);
    event.detail.designerValues = values;
    const conflict = document.querySelector("#preview .conflict");
    const changedNames = conflict ? null : changedSince(acknowledged.get(form), values);
    if (changedNames === null) return;
    const partial = new FormData();
    for (const name of all.keys()) {
      if (ALWAYS_SENT.has(name) && !partial.has(name)) all.getAll(name).forEach((v) => partial.append(name, v));
    }
    for (const name of changedNames) values.get(name).forEach((v) => partial.append(name, v));
    partial.append("_partial", "1");
    event.detail.parameters = partial;
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target && event.detail.target.id === "preview") {
      const form = editorForm();
      const sent = event.detail.xhr && event.detail.xhr.designerState;
      const saves = form && !form.hasAttribute("data-preview-only");
      const saved = !document.querySelector("#preview .conflict");
      if (saves && sent !== undefined && saved) savedState = sent;
      const posted = event.detail.requestConfig && event.detail.requestConfig.elt;
      const values = event.detail.requestConfig && event.detail.requestConfig.designerValues;
      if (posted && values) {
        if (saved) acknowledged.set(posted, values);
        else acknowledged.delete(posted);
      }
      showErrors();
    }
  });
  // A refused post (400) says why in plain text: show it where the preview would have come.
  document.addEventListener("htmx:responseError", (event) => {
    const { target, xhr } = event.detail;
    if (!target || target.id !== "preview" || xhr.status !== 400) return;
    const note = target.querySelector(".refused") || document.createElement("div");
    note.className = "conflict refused";
    note.setAttribute("role", "alert");
    note.textContent = xhr.responseText;
    target.prepend(note);
  });
  // The playground's server says "playground:sent" when it took the message (not on a refusal
  // or a failed request, which keep the text): empty the box for the next one.
  document.addEventListener("playground:sent", () => {
    const box = document.getElementById("chat-message");
    if (!box) return;
    box.value = "";
    box.focus();
  });
  document.addEventListener("submit", (event) => {
    const message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
    if (!event.defaultPrevented) submitting = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (!submitting && unsaved()) { event.preventDefault(); event.returnValue = ""; }
  });
  // A page brought back from the back/forward cache may hold a form older than the draft
  // (another tab, or this one before it left, saved since): load it afresh instead.
  window.addEventListener("pageshow", (event) => {
    submitting = false;
    if (event.persisted && editorForm()) window.location.reload();
  });

  // Each page load is its own editor: a copy of the page from the browser's cache gets a new
  // token, so its saves are checked against the version it was served with (a conflict).
  function newEditorToken() {
    const input = document.querySelector("form[data-autosave] [name=_editor]");
    if (!input) return;
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    input.value = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  document.addEventListener("DOMContentLoaded", () => {
    newEditorToken();
    const form = editorForm();
    if (form) savedState = formState(form);
    document.querySelectorAll("[data-row]").forEach(showTemplateDefaults);
    // The draft's findings show beside their fields from the start, not only once touched.
    const data = document.getElementById("findings-data");
    if (data) JSON.parse(data.textContent).forEach((finding) => touched.add(finding.path));
    showErrors();
  });
})();
