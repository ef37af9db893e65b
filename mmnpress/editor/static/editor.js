/* mmnpress edit: the form is made from the statement's JSON Schema (/api/schema) at run time.
   Plain DOM code; every control carries data-path, the dotted path of its field. */
(function () {
  "use strict";
  var S = { schema: null, words: {}, fields: {}, kinds: {}, lang: "en", path: "", doc: {}, version: "", original: null,
            dirty: false, format: "html", bib: null, seq: 0, timer: null, ids: 0, conflict: null, caret: null };
  var PREVIEW_PAUSE_MS = 300;
  var $ = function (id) { return document.getElementById(id); };

  function api(method, route, body) {
    var options = { method: method, credentials: "same-origin", headers: {} };
    if (body !== undefined) { options.headers["Content-Type"] = "application/json"; options.body = JSON.stringify(body); }
    return fetch("/api/" + route, options).then(function (answer) {
      return answer.json().then(function (data) { data._status = answer.status; return data; });
    });
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function w(key) { return S.words[key] || key; }
  function newId() { S.ids += 1; return "f" + S.ids; }

  /* ---- paths into the document ---- */
  function getAt(data, path) {
    if (!path) return data;
    return path.split(".").reduce(function (v, k) { return v === undefined || v === null ? undefined : v[k]; }, data);
  }
  function setAt(path, value) {
    var parts = path.split("."), at = S.doc, i, sch = S.schema;
    for (i = 0; i < parts.length - 1; i++) {
      if (at[parts[i]] === undefined || at[parts[i]] === null || typeof at[parts[i]] !== "object") at[parts[i]] = /^\d+$/.test(parts[i + 1]) ? [] : {};
      at = at[parts[i]];
    }
    var key = parts[parts.length - 1];
    if (!Array.isArray(at) && !(key in at)) insertInOrder(at, key, value, schemaAt(parts.slice(0, -1)));
    else at[key] = value;
  }
  function insertInOrder(obj, key, value, sch) {
    /* a key the form adds goes where the schema has it, so the YAML keeps its reading order */
    var order = sch && sch.properties ? Object.keys(sch.properties) : [];
    var copy = {}, placed = false, mine = order.indexOf(key);
    Object.keys(obj).forEach(function (k) {
      if (!placed && mine >= 0 && order.indexOf(k) > mine) { copy[key] = value; placed = true; }
      copy[k] = obj[k];
    });
    if (!placed) copy[key] = value;
    Object.keys(obj).forEach(function (k) { delete obj[k]; });
    Object.keys(copy).forEach(function (k) { obj[k] = copy[k]; });
  }
  function schemaAt(parts) {
    var sch = S.schema;
    parts.forEach(function (p) {
      if (!sch) return;
      if (/^\d+$/.test(p)) sch = sch.items && sch.items.properties ? sch.items : sch.items;
      else sch = sch.properties ? sch.properties[p] : null;
    });
    return sch;
  }

  /* ---- what a schema node is ---- */
  function isMarkdown(sch) { return /inline Markdown/.test(sch.description || ""); }
  function kindsOf(sch) {
    var m = /\(([a-z\-, ]+) only/.exec(sch.description || "");
    return m ? m[1].split(/,\s*/) : null;
  }
  function helpOf(sch) { return (sch.description || "").replace(/\s*\([^)]*(only|inline Markdown)[^)]*\)$/, ""); }
  function labelOf(key) { return S.fields[key] || (key.charAt(0).toUpperCase() + key.slice(1)).replace(/_/g, " "); }
  function hiddenByKind(key, sch) {
    var kinds = kindsOf(sch), kind = effective("kind");
    if (kinds && kind && kinds.indexOf(kind) < 0) return true;
    var rules = (S.schema["else"] && S.schema["else"].allOf) || [];
    return rules.some(function (rule) {
      var then = rule.then && rule.then.required || [];
      if (then.indexOf(key) < 0) return false;
      var needs = rule["if"].properties, on = Object.keys(needs)[0];
      return effective(on) !== needs[on]["const"];
    });
  }
  function effective(key) {
    /* the value a top-level field has: the file's, else (in a translation) the original's */
    var own = S.doc[key];
    return own !== undefined && own !== null && own !== "" ? own : S.original ? S.original[key] : undefined;
  }
  function textLang(readonly) {
    /* the language of the text a column holds: the original's on the left, the translation's (or inherited) on the right */
    return readonly ? S.original && S.original.lang || null : S.doc.lang || S.original && S.original.lang || null;
  }
  function choiceText(path, v) { return path === "kind" && S.kinds[v] ? S.kinds[v] + " (" + v + ")" : String(v); }
  function absentChoice(sch, path, readonly) {
    /* what the empty choice stands for: the original's value in a translation, else the schema's default; the file is left without the key */
    var inherited = !readonly && S.original ? getAt(S.original, path) : undefined;
    if (inherited !== undefined && inherited !== null && inherited !== "") return choiceText(path, inherited) + " (" + w("inherited") + ")";
    return sch["default"] !== undefined ? choiceText(path, sch["default"]) + " (" + w("default") + ")" : "";
  }

  /* ---- the form ---- */
  function render() {
    var form = $("form"), focused = document.activeElement && document.activeElement.getAttribute("data-path");
    var action = document.activeElement && document.activeElement.getAttribute("data-action");
    form.textContent = "";
    renderObject(S.schema, "", form, false, S.doc);
    if (S.original) {
      var left = $("original-form");
      left.textContent = "";
      renderObject(S.schema, "", left, true, S.original);
    }
    if (focused) {
      var again = form.querySelector('[data-path="' + focused + '"]' + (action ? '[data-action="' + action + '"]' : ""));
      if (again) again.focus();
    }
  }
  function renderObject(sch, path, into, readonly, data) {
    Object.keys(sch.properties).forEach(function (key) {
      var child = sch.properties[key], here = path ? path + "." + key : key;
      if (!path && hiddenByKind(key, child)) return;
      into.appendChild(renderField(key, child, here, readonly, data));
    });
  }
  function renderField(key, sch, path, readonly, data) {
    var value = getAt(data, path), id = newId(), help = helpOf(sch);
    if (sch.type === "object" && sch.properties) {
      var set = el("fieldset", { "data-group": path }, [el("legend", { text: labelOf(key) }), help ? el("span", { "class": "help", text: help }) : null]);
      renderObject(sch, path, set, readonly, data);
      return set;
    }
    if (sch.type === "object" && sch.propertyNames) return renderNotes(key, sch, path, readonly, data);
    if (sch.type === "array") return renderList(key, sch, path, readonly, data);
    if (sch.anyOf && Array.isArray(value)) return renderList(key, sch.anyOf[1], path, readonly, data);
    var box = el("div", { "class": "field" });
    box.appendChild(el("label", { "for": id, text: labelOf(key) }));
    if (help) box.appendChild(el("span", { "class": "help", id: id + "-help", text: help }));
    box.appendChild(control(sch, path, id, value, readonly, help ? id + "-help" : null));
    return box;
  }
  function control(sch, path, id, value, readonly, describedBy) {
    var node;
    if (sch["enum"]) {
      node = el("select", { id: id, "data-path": path, "aria-describedby": describedBy, disabled: readonly ? "disabled" : null });
      node.appendChild(el("option", { value: "", text: absentChoice(sch, path, readonly) }));
      sch["enum"].forEach(function (v) { node.appendChild(el("option", { value: v, text: choiceText(path, v) })); });
      node.value = value === undefined || value === null ? "" : String(value);
    } else if (isMarkdown(sch)) {
      node = el("textarea", { id: id, "data-path": path, "aria-describedby": describedBy, lang: textLang(readonly), readonly: readonly ? "readonly" : null,
                              rows: String(Math.max(2, Math.min(8, Math.ceil(String(value || "").length / 70)))) });
      node.value = value === undefined || value === null ? "" : String(value);
      if (!readonly) {
        var wrap = el("div", {}, [toolbar(node, path), node, el("p", { "class": "message warning", id: id + "-keys", "aria-live": "polite", hidden: "hidden" })]);
        node.setAttribute("aria-describedby", [describedBy, id + "-keys"].filter(Boolean).join(" "));
        node.addEventListener("input", function () { flagUnknownKeys(node); });
        placeholderFromOriginal(node, path);
        bind(node, path);
        setTimeout(function () { flagUnknownKeys(node); }, 0);
        return wrap;
      }
      /* the original's column keeps the toolbar's room, so its fields stay level with the translation's */
      return el("div", {}, [el("div", { "class": "toolbar spacer", "aria-hidden": "true" }, [el("span", { text: w("emphasis") })]), node]);
    } else {
      node = el("input", { type: "text", id: id, "data-path": path, "aria-describedby": describedBy, lang: textLang(readonly), readonly: readonly ? "readonly" : null });
      node.value = value === undefined || value === null ? "" : String(value);
    }
    if (!readonly) { placeholderFromOriginal(node, path); bind(node, path); }
    return node;
  }
  function placeholderFromOriginal(node, path) {
    if (S.original && typeof getAt(S.original, path) === "string" && !node.value) node.setAttribute("placeholder", getAt(S.original, path));
  }
  function bind(node, path) {
    node.addEventListener(node.tagName === "SELECT" ? "change" : "input", function () {
      setAt(path, node.value);
      changed(path === "kind" || path === "release");
    });
  }
  function toolbar(area, path) {
    var bar = el("div", { "class": "toolbar", role: "toolbar", "aria-label": w("emphasis") + ", " + w("strong") + ", " + w("link") + ", " + w("note") + ", " + w("cite") });
    [["emphasis", "*", "*"], ["strong", "**", "**"], ["link", "[", "](https://)"], ["note", "^[", "]"]].forEach(function (b) {
      var button = el("button", { type: "button", "data-path": path, "data-action": b[0], text: w(b[0]) });
      button.addEventListener("click", function () { wrapSelection(area, b[1], b[2]); });
      bar.appendChild(button);
    });
    var cite = el("button", { type: "button", "data-path": path, "data-action": "cite", text: w("cite") });
    cite.addEventListener("click", function () { openCitations(area); });
    bar.appendChild(cite);
    return bar;
  }
  function wrapSelection(area, before, after) {
    var start = area.selectionStart, end = area.selectionEnd, v = area.value;
    area.value = v.slice(0, start) + before + v.slice(start, end) + after + v.slice(end);
    area.focus();
    area.setSelectionRange(start + before.length, end + before.length);
    area.dispatchEvent(new Event("input"));
  }
  function insertText(area, text, at) {
    var v = area.value, start = at === undefined ? area.selectionStart : at;
    area.value = v.slice(0, start) + text + v.slice(start);
    area.focus();
    area.setSelectionRange(start + text.length, start + text.length);
    area.dispatchEvent(new Event("input"));
  }

  /* ---- lists ---- */
  function renderList(key, sch, path, readonly, data) {
    var items = getAt(data, path), noun = key === "items" && path.indexOf(".") > 0 ? labelOf(path.split(".").slice(-2)[0]) : labelOf(key);
    items = Array.isArray(items) ? items : (items === undefined || items === null || items === "" ? [] : [items]);
    var set = el("fieldset", { "data-group": path }, [el("legend", { text: labelOf(key) }), el("span", { "class": "help", text: helpOf(sch) })]);
    var itemSchema = sch.items || { type: "string" };
    items.forEach(function (item, index) {
      var here = path + "." + index, box = el("div", { "class": "item", "data-item": here });
      var title = noun + " " + (index + 1);
      if (itemSchema.properties) {
        var inner = el("fieldset", {}, [el("legend", { text: title })]);
        renderObject(itemSchema, here, inner, readonly, data);
        box.appendChild(inner);
      } else if (itemSchema.anyOf) {
        box.appendChild(renderBlock(itemSchema, here, item, readonly, title));
      } else {
        var cid = newId();
        box.appendChild(el("label", { "for": cid, text: title }));
        box.appendChild(control(itemSchema, here, cid, item, readonly, null));
      }
      if (!readonly) box.appendChild(itemTools(path, index, items.length, title));
      set.appendChild(box);
    });
    if (!readonly) {
      var add = el("button", { type: "button", "data-path": path, "data-action": "add", text: w("add") + ": " + noun });
      add.addEventListener("click", function () {
        var list = Array.isArray(getAt(S.doc, path)) ? getAt(S.doc, path).slice() : [];
        list.push(emptyOf(itemSchema));
        setAt(path, list);
        changed(true);
        var fresh = $("form").querySelector('[data-item="' + path + "." + (list.length - 1) + '"] textarea, [data-item="' + path + "." + (list.length - 1) + '"] input');
        if (fresh) fresh.focus();
      });
      set.appendChild(add);
    }
    return set;
  }
  function renderBlock(sch, path, item, readonly, title) {
    /* a body block: a paragraph (a string), or a mapping with one key (heading, quote) */
    var styleKey = item && typeof item === "object" ? Object.keys(item)[0] : "";
    var id = newId(), box = el("div", {});
    var styles = [["", w("paragraph")]].concat(sch.anyOf.slice(1).map(function (s) { var k = Object.keys(s.properties)[0]; return [k, w(k)]; }));
    var choice = el("select", { id: id + "-style", "data-path": path, "data-action": "style", "aria-label": title, disabled: readonly ? "disabled" : null });
    styles.forEach(function (s) { choice.appendChild(el("option", { value: s[0], text: s[1] })); });
    choice.value = styleKey;
    choice.addEventListener("change", function () {
      var text = styleKey ? item[styleKey] : item, next = {};
      if (choice.value) { next[choice.value] = text; setAt(path, next); } else setAt(path, text);
      changed(true);
    });
    var textPath = styleKey ? path + "." + styleKey : path;
    var textSchema = styleKey ? sch.anyOf.filter(function (s) { return s.properties && s.properties[styleKey]; })[0].properties[styleKey] : sch.anyOf[0];
    box.appendChild(el("label", { "for": id, text: title }));
    box.appendChild(choice);
    box.appendChild(control(textSchema, textPath, id, styleKey ? item[styleKey] : item, readonly, null));
    return box;
  }
  function itemTools(path, index, count, title) {
    var here = path + "." + index, tools = el("div", { "class": "item-tools" });
    [["up", index > 0, -1], ["down", index < count - 1, 1]].forEach(function (m) {
      if (!m[1]) return;
      var b = el("button", { type: "button", "data-path": here, "data-action": m[0], "aria-label": w(m[0]) + ": " + title, text: w(m[0]) });
      b.addEventListener("click", function () { move(path, index, index + m[2], m[0]); });
      tools.appendChild(b);
    });
    var remove = el("button", { type: "button", "data-path": here, "data-action": "remove", "aria-label": w("remove") + ": " + title, text: w("remove") });
    remove.addEventListener("click", function () {
      var list = getAt(S.doc, path).slice();
      list.splice(index, 1);
      setAt(path, list);
      changed(true);
    });
    tools.appendChild(remove);
    return tools;
  }
  function move(path, from, to, action) {
    var list = getAt(S.doc, path).slice(), item = list.splice(from, 1)[0];
    list.splice(to, 0, item);
    setAt(path, list);
    changed(true);
    var b = $("form").querySelector('[data-path="' + path + "." + to + '"][data-action="' + action + '"]') ||
            $("form").querySelector('[data-path="' + path + "." + to + '"][data-action="remove"]');
    if (b) b.focus();
  }
  function emptyOf(sch) {
    if (sch.properties) { var o = {}; Object.keys(sch.properties).forEach(function (k) { if ((sch.required || []).indexOf(k) >= 0) o[k] = ""; }); return o; }
    return "";
  }
  function renderNotes(key, sch, path, readonly, data) {
    /* named notes in the file's order, each with a Remove button; a new one is added at the end under a label the schema allows */
    var notes = getAt(data, path) || {}, set = el("fieldset", { "data-group": path }, [el("legend", { text: labelOf(key) }), el("span", { "class": "help", text: helpOf(sch) })]);
    Object.keys(notes).forEach(function (label) {
      var id = newId(), here = path + "." + label, box = el("div", { "class": "field item", "data-item": here });
      box.appendChild(el("label", { "for": id, text: "[^" + label + "]" }));
      box.appendChild(control({ description: "inline Markdown" }, here, id, notes[label], readonly, null));
      if (!readonly) {
        var remove = el("button", { type: "button", "data-path": here, "data-action": "remove", "aria-label": w("remove") + ": [^" + label + "]", text: w("remove") });
        remove.addEventListener("click", function () { removeNote(path, label); });
        box.appendChild(el("div", { "class": "item-tools" }, [remove]));
      }
      set.appendChild(box);
    });
    if (!readonly) set.appendChild(noteAdder(sch, path));
    return set;
  }
  function noteAdder(sch, path) {
    var id = newId(), error = el("p", { "class": "message error", id: id + "-error", role: "alert" });
    var name = el("input", { type: "text", id: id, "data-path": path, "data-action": "label", "aria-describedby": id + "-error", autocomplete: "off" });
    var add = el("button", { type: "button", "data-path": path, "data-action": "add", text: w("add_note") });
    function addNote() {
      var label = name.value.trim(), notes = getAt(S.doc, path) || {};
      var problem = !new RegExp(sch.propertyNames.pattern).test(label) ? w("note_label_rule") : label in notes ? w("note_label_used") : "";
      error.textContent = problem;
      if (problem) { name.setAttribute("aria-invalid", "true"); name.focus(); return; }
      var next = {};
      Object.keys(notes).forEach(function (k) { next[k] = notes[k]; });
      next[label] = "";
      setAt(path, next);
      changed(true);
      var fresh = $("form").querySelector('[data-item="' + path + "." + label + '"] textarea');
      if (fresh) fresh.focus();
    }
    add.addEventListener("click", addNote);
    name.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); addNote(); } });
    return el("div", { "class": "field note-adder" }, [el("label", { "for": id, text: w("note_label") }), name, add, error]);
  }
  function removeNote(path, label) {
    /* a note removed from the form is removed from the file; without notes the key goes too */
    var notes = getAt(S.doc, path) || {}, next = {};
    Object.keys(notes).forEach(function (k) { if (k !== label) next[k] = notes[k]; });
    if (Object.keys(next).length) setAt(path, next);
    else delete getAt(S.doc, path.split(".").slice(0, -1).join("."))[path.split(".").pop()];
    changed(true);
    var again = $("form").querySelector('[data-path="' + path + '"][data-action="label"]');
    if (again) again.focus();
  }

  /* ---- citations ---- */
  function loadBibliography() {
    return api("POST", "bibliography", { path: S.path, data: S.doc, original: S.original }).then(function (answer) {
      S.bib = answer.entries || [];
      Array.prototype.forEach.call(document.querySelectorAll("#form textarea"), flagUnknownKeys);
    });
  }
  function citedKeys(text) {
    var keys = [], re = /\[[^\]]*?@([A-Za-z0-9_][\w:.#$%&\-+?<>~\/]*)/g, m, inner = /@([A-Za-z0-9_][\w:.#$%&\-+?<>~\/]*)/g;
    while ((m = re.exec(text))) {
      var close = text.indexOf("]", m.index), part = text.slice(m.index, close < 0 ? text.length : close);
      var k; inner.lastIndex = 0;
      while ((k = inner.exec(part))) keys.push(k[1].replace(/[.:,;]+$/, ""));
    }
    return keys;
  }
  function flagUnknownKeys(area) {
    if (!S.bib) return;
    var note = document.getElementById(area.id + "-keys");
    if (!note) return;
    var known = S.bib.map(function (e) { return e.key; });
    var unknown = citedKeys(area.value).filter(function (k) { return known.indexOf(k) < 0; });
    note.hidden = !unknown.length;
    note.textContent = unknown.length ? w("unknown_key") + ": " + unknown.join(", ") : "";
  }
  function openCitations(area) {
    S.caret = { area: area, at: area.selectionStart };
    $("cite-search").value = "";
    $("cite-locator").value = "";
    showEntries("");
    $("cite-dialog").showModal();
    $("cite-search").focus();
  }
  function showEntries(query) {
    var list = $("cite-results"), words = query.toLowerCase().split(/\s+/).filter(Boolean);
    list.textContent = "";
    (S.bib || []).filter(function (e) {
      var hay = [e.key, e.author, e.title, e.year].join(" ").toLowerCase();
      return words.every(function (word) { return hay.indexOf(word) >= 0; });
    }).slice(0, 50).forEach(function (e) {
      var b = el("button", { type: "button", "data-path": "@cite", "data-key": e.key, text: (e.author || "?") + " (" + (e.year || "n.d.") + "). " + e.title + "  [@" + e.key + "]" });
      b.addEventListener("click", function () {
        var locator = $("cite-locator").value.trim();
        $("cite-dialog").close();
        insertText(S.caret.area, "[@" + e.key + (locator ? ", " + locator : "") + "]", S.caret.at);
      });
      list.appendChild(el("li", {}, [b]));
    });
  }

  /* ---- changes, preview, problems ---- */
  function changed(structural) {
    S.dirty = true;
    status(w("unsaved"));
    try { localStorage.setItem(storeKey(), JSON.stringify({ version: S.version, data: S.doc })); } catch (e) { /* storage full or off */ }
    if (structural) render();
    schedulePreview();
  }
  function storeKey() { return "mmnpress-edit:" + S.path; }
  function status(text) { $("status").textContent = text; }
  function schedulePreview() {
    clearTimeout(S.timer);
    S.timer = setTimeout(preview, PREVIEW_PAUSE_MS);
  }
  function preview() {
    var mine = ++S.seq;
    return api("POST", "preview", { path: S.path, data: S.doc, format: S.format }).then(function (answer) {
      if (mine !== S.seq) return;
      if (answer.url) $("preview").src = answer.url;
      showFindings(answer.findings || (answer.error ? [{ path: "", severity: "error", line: answer.error, message: answer.error }] : []));
    });
  }
  function showFindings(findings) {
    Array.prototype.forEach.call(document.querySelectorAll("#form .message.finding"), function (n) { n.remove(); });
    Array.prototype.forEach.call(document.querySelectorAll("#form [aria-invalid]"), function (n) { n.removeAttribute("aria-invalid"); });
    var list = $("problems");
    list.textContent = "";
    if (!findings.length) list.appendChild(el("li", { text: w("no_problems") }));
    findings.forEach(function (f) {
      list.appendChild(el("li", { "class": f.severity, text: f.line || f.message }));
      var target = f.path && fieldControl(f.path);
      if (!target) return;
      var id = newId();
      var msg = el("p", { "class": "message finding " + f.severity, id: id, text: f.severity + ": " + f.message });
      target.insertAdjacentElement("afterend", msg);
      if (f.severity === "error") target.setAttribute("aria-invalid", "true");
      target.setAttribute("aria-describedby", ((target.getAttribute("aria-describedby") || "") + " " + id).trim());
    });
  }
  function fieldControl(path) {
    var parts = path.split(".");
    while (parts.length) {
      var found = $("form").querySelector('[data-path="' + parts.join(".") + '"]:not(button)');
      if (found) return found;
      parts.pop();
    }
    return null;
  }

  /* ---- opening and saving ---- */
  function open(path) {
    return api("GET", "open?path=" + encodeURIComponent(path)).then(function (answer) {
      if (answer._status !== 200) { status(answer.error || w("saving_failed")); return; }
      S.path = answer.path; S.version = answer.version; S.doc = answer.data; S.dirty = false;
      S.original = answer.original ? answer.original.data : null;
      var kept = null;
      try { kept = JSON.parse(localStorage.getItem(storeKey()) || "null"); } catch (e) { kept = null; }
      if (kept && kept.data) { S.doc = kept.data; S.dirty = true; status(w("unsaved")); } else status("");
      $("original").hidden = !S.original;
      $("workspace").className = S.original ? "translating" : "";
      $("statement-choice").value = S.path;
      location.hash = S.path;
      chooseInterface();
      render();
      loadBibliography();
      return preview();
    });
  }
  function save(keepMine) {
    return api("POST", "save", { path: S.path, data: S.doc, version: keepMine ? S.conflict.version : S.version }).then(function (answer) {
      if (answer._status === 200) {
        S.version = answer.version; S.dirty = false;
        localStorage.removeItem(storeKey());
        status(w("saved"));
      } else if (answer._status === 409) {
        S.conflict = answer;
        $("conflict-difference").textContent = answer.difference;
        $("conflict-dialog").showModal();
      } else status(w("saving_failed") + ": " + (answer.error || answer._status));
    });
  }

  /* ---- the interface language ---- */
  function chooseInterface() {
    var chosen = localStorage.getItem("mmnpress-edit:interface") || "";
    var want = chosen === "statement" ? (S.doc.lang || (S.original && S.original.lang) || "en") : chosen || (navigator.languages || [navigator.language])[0] || "en";
    if (want.split("-")[0] === S.lang && Object.keys(S.words).length) return Promise.resolve();
    return api("GET", "messages?lang=" + encodeURIComponent(want)).then(function (answer) {
      S.words = answer.words; S.fields = answer.fields; S.kinds = answer.kinds; S.lang = answer.lang;
      document.documentElement.lang = answer.lang;
      var pick = $("interface-language");
      if (!pick.options.length) {
        pick.appendChild(el("option", { value: "statement", text: w("language") + ": " + w("statement_file") }));
        answer.languages.forEach(function (l) { pick.appendChild(el("option", { value: l, text: l })); });
      }
      pick.value = chosen || answer.lang;
      words();
      if (S.schema && S.path) render();
    });
  }
  function words() {
    document.title = "mmnpress: " + w("title");
    [["app-title", "title"], ["save", "save"], ["new", "new"], ["translate", "translate"], ["interface-label", "interface"],
     ["statement-choice-label", "statement_file"], ["form-heading", "statement_file"], ["preview-heading", "preview"],
     ["show-web", "web"], ["show-pdf", "pdf"], ["problems-heading", "problems"], ["original-heading", "original"],
     ["cite-heading", "cite"], ["cite-search-label", "search"], ["cite-locator-label", "locator"], ["cite-cancel", "cancel"],
     ["conflict-heading", "conflict"], ["conflict-reload", "reload"], ["conflict-keep", "keep"], ["new-heading", "new"],
     ["new-kind-label", "kind"], ["new-slug-label", "slug"], ["new-lang-label", "language"], ["new-cancel", "cancel"],
     ["new-create", "create"], ["translate-heading", "translate"], ["translate-lang-label", "language"],
     ["translate-cancel", "cancel"], ["translate-create", "create"]].forEach(function (p) { $(p[0]).textContent = w(p[1]); });
    $("preview").title = w("preview");
  }

  /* ---- start ---- */
  function wire() {
    $("save").addEventListener("click", function () { save(false); });
    document.addEventListener("keydown", function (e) {
      if ((e.ctrlKey || e.metaKey) && (e.key === "s" || e.key === "S")) { e.preventDefault(); save(false); }
    });
    window.addEventListener("beforeunload", function (e) { if (S.dirty) { e.preventDefault(); e.returnValue = w("leave"); return w("leave"); } });
    $("statement-choice").addEventListener("change", function () {
      if (S.dirty && !window.confirm(w("leave"))) { $("statement-choice").value = S.path; return; }
      open($("statement-choice").value);
    });
    $("interface-language").addEventListener("change", function () {
      localStorage.setItem("mmnpress-edit:interface", $("interface-language").value);
      S.lang = ""; chooseInterface();
    });
    [["show-web", "html"], ["show-pdf", "pdf"]].forEach(function (t) {
      $(t[0]).addEventListener("click", function () {
        S.format = t[1];
        $("show-web").setAttribute("aria-pressed", String(t[1] === "html"));
        $("show-pdf").setAttribute("aria-pressed", String(t[1] === "pdf"));
        preview();
      });
    });
    $("cite-search").addEventListener("input", function () { showEntries($("cite-search").value); });
    $("cite-cancel").addEventListener("click", function () { $("cite-dialog").close(); S.caret.area.focus(); });
    $("conflict-reload").addEventListener("click", function () { $("conflict-dialog").close(); localStorage.removeItem(storeKey()); open(S.path); });
    $("conflict-keep").addEventListener("click", function () { $("conflict-dialog").close(); save(true); });
    $("new").addEventListener("click", function () { $("new-error").textContent = ""; $("new-dialog").showModal(); });
    $("new-cancel").addEventListener("click", function () { $("new-dialog").close(); });
    $("new-create").addEventListener("click", function () {
      api("POST", "new", { kind: $("new-kind").value, slug: $("new-slug").value, lang: $("new-lang").value }).then(function (a) {
        if (a._status !== 200) { $("new-error").textContent = a.error; return; }
        $("new-dialog").close(); listStatements().then(function () { open(a.path); });
      });
    });
    $("translate").addEventListener("click", function () { $("translate-error").textContent = ""; $("translate-dialog").showModal(); });
    $("translate-cancel").addEventListener("click", function () { $("translate-dialog").close(); });
    $("translate-create").addEventListener("click", function () {
      api("POST", "translate", { path: S.path, lang: $("translate-lang").value }).then(function (a) {
        if (a._status !== 200) { $("translate-error").textContent = a.error; return; }
        $("translate-dialog").close(); listStatements().then(function () { open(a.path); });
      });
    });
  }
  function listStatements() {
    return api("GET", "statements").then(function (answer) {
      var pick = $("statement-choice");
      pick.textContent = "";
      answer.statements.forEach(function (p) { pick.appendChild(el("option", { value: p, text: p })); });
      return answer;
    });
  }
  function start() {
    wire();
    Promise.all([api("GET", "schema"), listStatements(), chooseInterface()]).then(function (r) {
      S.schema = r[0];
      (S.schema.properties.kind["enum"] || []).forEach(function (k) { $("new-kind").appendChild(el("option", { value: k, text: S.kinds[k] || k })); });
      var first = decodeURIComponent(location.hash.slice(1)) || r[1].first || r[1].statements[0];
      if (first) return open(first);
    }).then(function () { document.body.setAttribute("data-ready", "true"); });
  }
  window.mmnpressEditor = { state: S, save: save, preview: preview };
  start();
}());
