// The data is gzip-compressed JSON in base64: inflated by the browser itself, no network involved.
function inflateReportData() {
  "use strict";
  var bin = atob(document.getElementById("report-data").textContent.trim());
  var bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).text().then(JSON.parse);
}
inflateReportData().then(function (DATA) {
  "use strict";
  var STATES = ["fail", "open", "manual", "pass"];
  var STATE_LABEL = { fail: "✗ failed", open: "? open", manual: "– by hand", pass: "✓ passed" };
  var ASSERTION = { "": "affirmed", "-": "", n: "negated", h: "historical", y: "hypothetical", f: "family", u: "uncertain" };
  var STATUS_RANK = { eligible: 0, needs_review: 1, ineligible: 2 };
  var KEY = "trialsieve-review:" + DATA.trial + ":";
  var patients = DATA.patients;
  var byId = {};
  patients.forEach(function (p) { byId[p.id] = p; });
  var view = patients.slice();
  var sort = { key: "pos", dir: 1 };
  var current = null;      // selected patient id
  var currentCrit = -1;    // index into the checklist order of the selected patient
  var order = [];          // checklist order: criterion indices
  var memory = {};         // fallback when the browser refuses local storage

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function own(obj, key) { return obj && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined; }
  function noteOf(p, doc) { return own(own(DATA.notes, p.id), doc); }
  // a piece of evidence from its compact row (see report_data._PatientBuilder)
  function evAt(p, i) {
    var r = p.ev[i], doc = p.docs[r[0]], note = noteOf(p, doc);
    var cue = r[10] || null;
    var e = { i: i, doc: doc, note: note, start: r[1], end: r[2], vend: r[2] + (r[3] || 0), value: r[4], unit: r[5] || "",
              written: r[6] || "", assertion: own(ASSERTION, r[7] || "") !== undefined ? ASSERTION[r[7] || ""] : r[7],
              date: r[8] || (note ? note[0] : ""), section: r[9] || "", quote: r[11] || "", cue: null };
    if (note) {
      var cps = Array.from(note[2]);
      if (!e.quote) { e.quote = cps.slice(e.start, e.end).join(""); }
      if (cue) { e.cue = { start: cue[0], end: cue[1], text: cps.slice(cue[0], cue[1]).join("") }; }
    } else if (cue) { e.cue = { start: cue[0], end: cue[1], text: cue[2] || "" }; }
    return e;
  }
  function reason(ids) { return ids.map(function (i) { return DATA.strings[i]; }).join("; "); }

  // ---- reviewed mark and comment, kept in this browser's local storage
  function loadMark(pid) {
    var raw;
    try { raw = window.localStorage.getItem(KEY + pid); } catch (e) { raw = own(memory, pid); }
    try { return raw ? JSON.parse(raw) : { reviewed: false, comment: "" }; } catch (e) { return { reviewed: false, comment: "" }; }
  }
  function saveMark(pid, mark) {
    var raw = JSON.stringify(mark);
    try { window.localStorage.setItem(KEY + pid, raw); } catch (e) { memory[pid] = raw; }
  }

  // ---- the list: filter, search, sort
  var searchIndex = null;
  function searchText(p) {
    var bits = [p.id, p.why];
    p.v.forEach(function (v) { if (v) { bits.push(reason(v[1])); } });
    p.ev.forEach(function (r) { if (r[11]) { bits.push(r[11]); } });
    var notes = own(DATA.notes, p.id) || {};
    Object.keys(notes).forEach(function (k) { bits.push(notes[k][2]); });
    bits.push(loadMark(p.id).comment);
    return bits.join("\n").toLowerCase();
  }
  function matches(p) {
    var status = document.getElementById("f-status").value;
    var crit = document.getElementById("f-crit").value;
    var states = document.getElementById("f-state").value.split(",");
    var review = document.getElementById("f-review").value;
    var q = document.getElementById("f-search").value.trim().toLowerCase();
    if (status && p.status !== status) { return false; }
    if (crit !== "") {
      var v = p.v[Number(crit)];
      if (!v || states.indexOf(STATES[v[0]]) < 0) { return false; }
    }
    if (review) {
      var done = loadMark(p.id).reviewed;
      if ((review === "done") !== done) { return false; }
    }
    if (q) {
      if (!searchIndex) { searchIndex = {}; }
      if (!own(searchIndex, p.id)) { searchIndex[p.id] = searchText(p); }
      if (searchIndex[p.id].indexOf(q) < 0) { return false; }
    }
    return true;
  }
  function sortValue(p, key) {
    switch (key) {
      case "id": return p.id;
      case "status": return STATUS_RANK[p.status];
      case "score": return p.score;
      case "inc": return p.n.inc_met;
      case "exc": return p.n.exc_clear;
      case "open": return p.n.open;
      case "failed": return p.n.failed;
      case "reviewed": return loadMark(p.id).reviewed ? 1 : 0;
      case "why": return p.why;
      default: return p.pos;
    }
  }
  function compare(a, b) {
    var x = sortValue(a, sort.key), y = sortValue(b, sort.key);
    var c = typeof x === "string" ? x.localeCompare(y, undefined, { numeric: true }) : x - y;
    return c * sort.dir || a.pos - b.pos;
  }
  function rowFor(p) {
    var body = el("tbody", "prow");
    body.dataset.pid = p.id;
    body.tabIndex = 0;
    var tr = el("tr");
    var status = el("span", "status " + p.status, p.status === "needs_review" ? "review" : p.status);
    status.title = p.status.replace("_", " ");
    var mark = loadMark(p.id);
    [[String(p.pos), "num"], [p.id, "pid"], [status, ""], [p.score.toFixed(1), "num"],
     [p.n.inc_met + "/" + p.n.inc_total, "num"], [p.n.exc_clear + "/" + p.n.exc_total, "num"],
     [String(p.n.open), "num"], [String(p.n.failed), "num"], [mark.reviewed ? "✓" : "", "done"]].forEach(function (c) {
      var td = el("td", c[1]);
      if (typeof c[0] === "string") { td.textContent = c[0]; } else { td.appendChild(c[0]); }
      tr.appendChild(td);
    });
    body.appendChild(tr);
    var tr2 = el("tr");
    var why = el("td", "why");
    why.colSpan = 9;
    why.appendChild(el("span", "", p.why));
    why.title = p.why;
    tr2.appendChild(why);
    body.appendChild(tr2);
    body.addEventListener("click", function () { selectPatient(p.id); });
    return body;
  }
  function renderList() {
    view = patients.filter(matches).sort(compare);
    var table = document.getElementById("patients");
    table.querySelectorAll("tbody").forEach(function (b) { b.remove(); });
    var frag = document.createDocumentFragment();
    view.forEach(function (p) { frag.appendChild(rowFor(p)); });
    table.appendChild(frag);
    document.querySelectorAll("th[data-sort]").forEach(function (th) {
      th.setAttribute("aria-sort", th.dataset.sort === sort.key ? (sort.dir > 0 ? "ascending" : "descending") : "none");
    });
    document.getElementById("shown").textContent = view.length + " of " + patients.length + " shown";
    markSelected();
  }
  function markSelected() {
    document.querySelectorAll("tbody.prow").forEach(function (b) { b.classList.toggle("selected", b.dataset.pid === current); });
  }

  // ---- one patient: everything for the previous one is removed first
  function clearEvidence() {
    var head = document.getElementById("evidence-head");
    head.textContent = "Click a piece of evidence to see the note it rests on.";
    head.className = "muted";
    document.getElementById("evidence-nav").textContent = "";
    document.getElementById("note-meta").textContent = "";
    document.getElementById("note-text").textContent = "";
  }
  function checklistOrder(p) {
    var idx = [];
    p.v.forEach(function (v, i) { if (v) { idx.push(i); } });
    return idx.sort(function (a, b) { return p.v[a][0] - p.v[b][0] || a - b; });
  }
  function valueText(e) {
    if (e.value === null || e.value === undefined || e.value === "") { return ""; }
    var x = e.value;
    if (typeof x === "number") { x = Math.abs(x) >= 1000 ? Math.round(x) : Number(x.toPrecision(4)); }
    var conv = String(x) + (e.unit ? " " + e.unit : "");
    var w = e.written.replace(/\s+/g, " ");
    if (w && w !== conv) { return w + " (as written) → " + conv; }
    return conv;
  }
  function sentenceOf(e) {
    if (!e.note) { return e.quote; }
    var cps = Array.from(e.note[2]);
    var lo = e.start, hi = e.vend;
    // the clause around the evidence: up to a line break, a ";" or a sentence's end, at most 120 characters
    function stop(i) { return cps[i] === "\n" || cps[i] === ";" || (cps[i] === "." && /\s/.test(cps[i + 1] || " ")); }
    while (lo > 0 && e.start - lo < 120 && !stop(lo - 1)) { lo--; }
    while (hi < cps.length && hi - e.vend < 120 && !stop(hi)) { hi++; }
    if (cps[hi] === ".") { hi++; }
    return cps.slice(lo, hi).join("").trim();
  }
  function evidenceButton(ci, e, k) {
    var b = el("button", "ev");
    b.type = "button";
    b.dataset.k = String(k);
    b.appendChild(el("span", "quote", "“" + e.quote + "”"));
    var v = valueText(e);
    if (v) { b.appendChild(el("span", "conv", " " + v)); }
    b.appendChild(el("span", "conv", " · " + e.date + (e.assertion && e.assertion !== "affirmed" ? " · " + e.assertion : "")));
    b.addEventListener("click", function (ev) { ev.stopPropagation(); showEvidence(ci, k); });
    return b;
  }
  function critBlock(p, ci, pos) {
    var c = DATA.criteria[ci], v = p.v[ci], state = STATES[v[0]];
    var box = el("div", "crit " + state);
    box.dataset.cid = c.id;
    var head = el("div", "crit-head");
    var badge = el("button", "badge " + state, STATE_LABEL[state]);
    badge.type = "button";
    badge.dataset.cid = c.id;
    badge.addEventListener("click", function () { showEvidence(ci, 0); });
    head.appendChild(badge);
    head.appendChild(el("b", "", c.id));
    head.appendChild(el("span", "kind", c.kind));
    box.appendChild(head);
    box.appendChild(el("div", "ctext clamp", c.text));
    var why = reason(v[1]);
    var r = el("div", "reason clamp", why);
    r.title = why;
    box.appendChild(r);
    var more = el("button", "more", "full text ");
    more.type = "button";
    more.addEventListener("click", function () {
      box.querySelectorAll(".clamp, .unclamped").forEach(function (x) { x.classList.toggle("clamp"); x.classList.toggle("unclamped"); });
    });
    box.appendChild(more);
    var evs = [];
    v[2].forEach(function (g) { g.slice(1).forEach(function (i) { evs.push(i); }); });
    var nsubs = c.subs.length;
    if (nsubs > 1 || evs.length) {
      var toggle = el("button", "toggle", " · " + (nsubs > 1 ? nsubs + " sub-conditions, " : "") + evs.length + " evidence");
      toggle.type = "button";
      toggle.addEventListener("click", function () { box.classList.toggle("collapsed"); });
      box.appendChild(toggle);
      var list = el("ul", "subs");
      var groups = {};
      v[2].forEach(function (g) { groups[g[0]] = g.slice(1); });
      var subs = c.subs.map(function (s, i) { return [i, s]; });
      if (own(groups, "-1")) { subs.push([-1, nsubs ? "other evidence" : "evidence"]); }
      subs.forEach(function (s) {
        var li = el("li");
        li.appendChild(el("span", "", s[1].replace(/_/g, " ") + ": "));
        var items = own(groups, String(s[0])) || [];
        if (!items.length) { li.appendChild(el("span", "none", "no evidence cited")); }
        items.forEach(function (i) {
          var e = evAt(p, i);
          li.appendChild(evidenceButton(ci, e, evs.indexOf(i)));
          li.appendChild(el("div", "print-only quote", sentenceOf(e)));
        });
        list.appendChild(li);
      });
      box.appendChild(list);
      if (state === "pass" || state === "manual") { box.classList.add("collapsed"); }
    }
    box.addEventListener("click", function (ev) {
      if (ev.target === box || ev.target.classList.contains("ctext") || ev.target.classList.contains("reason")) { showEvidence(ci, 0); }
    });
    box.dataset.pos = String(pos);
    return box;
  }
  function selectPatient(pid) {
    var p = own(byId, pid);
    var detail = document.getElementById("detail");
    detail.textContent = "";
    clearEvidence();
    current = null;
    currentCrit = -1;
    order = [];
    if (!p) { markSelected(); return; }
    current = pid;
    markSelected();
    var h = el("h2", "", p.id + " ");
    h.appendChild(el("span", "status " + p.status, p.status.replace("_", " ")));
    h.appendChild(el("span", "muted", " #" + p.pos + " · rank " + p.rank + " · score " + p.score.toFixed(1)));
    detail.appendChild(h);
    detail.appendChild(el("div", "deciding", p.why));
    detail.appendChild(el("div", "muted", "inclusions met " + p.n.inc_met + "/" + p.n.inc_total + " · exclusions clear " +
      p.n.exc_clear + "/" + p.n.exc_total + " · open " + p.n.open + " · failed " + p.n.failed + " · by hand " + p.n.manual));
    if (p.notes_left_out) { detail.appendChild(el("div", "muted", "Notes not on this page (ineligible patient): evidence quotes only.")); }
    var mark = loadMark(pid);
    var box = el("div", "review-box");
    var label = el("label");
    var check = el("input");
    check.type = "checkbox";
    check.id = "reviewed";
    check.checked = !!mark.reviewed;
    label.appendChild(check);
    label.appendChild(document.createTextNode(" reviewed"));
    var comment = el("textarea");
    comment.id = "comment";
    comment.placeholder = "Comment (kept in this browser)";
    comment.value = mark.comment || "";
    var printed = el("div", "print-only", "");
    function save() {
      saveMark(pid, { reviewed: check.checked, comment: comment.value });
      printed.textContent = (check.checked ? "Reviewed. " : "") + (comment.value ? "Comment: " + comment.value : "");
      if (searchIndex) { delete searchIndex[pid]; }
      var cell = document.querySelector('tbody.prow[data-pid="' + CSS.escape(pid) + '"] td.done');
      if (cell) { cell.textContent = check.checked ? "✓" : ""; }
    }
    check.addEventListener("change", save);
    comment.addEventListener("input", save);
    box.appendChild(label);
    box.appendChild(comment);
    detail.appendChild(box);
    printed.textContent = (check.checked ? "Reviewed. " : "") + (comment.value ? "Comment: " + comment.value : "");
    detail.appendChild(printed);
    order = checklistOrder(p);
    order.forEach(function (ci, pos) { detail.appendChild(critBlock(p, ci, pos)); });
    var first = -1;
    order.some(function (ci, pos) { if (p.v[ci][2].length) { first = pos; return true; } return false; });
    if (first >= 0) { showEvidence(order[first], 0); }
  }

  // ---- the evidence panel: the note with mention and value marked, the cue underlined
  function renderNote(noteText, e) {
    var text = Array.from(noteText);  // offsets count code points, not UTF-16 units
    var pre = document.getElementById("note-text");
    pre.textContent = "";
    var start = e.start, end = Math.max(e.end, e.vend);
    var cue = e.cue ? [e.cue.start, e.cue.end] : null;
    var cut = [0, text.length, start, end];
    if (cue) { cut.push(cue[0], cue[1]); }
    cut = cut.filter(function (x, i, a) { return x >= 0 && x <= text.length && a.indexOf(x) === i; }).sort(function (a, b) { return a - b; });
    var mark = null;
    for (var i = 0; i + 1 < cut.length; i++) {
      var s = cut[i], t = cut[i + 1];
      var inEv = s >= start && t <= end && end > start;
      var inCue = cue && s >= cue[0] && t <= cue[1];
      var piece = text.slice(s, t).join("");
      var node = inCue ? el("span", "cue", piece) : document.createTextNode(piece);
      if (inEv) {
        if (!mark) { mark = el("mark"); pre.appendChild(mark); }
        mark.appendChild(node);
      } else {
        mark = null;
        pre.appendChild(node);
      }
    }
    var m = pre.querySelector("mark") || pre.querySelector(".cue");
    if (m) { pre.scrollTop = Math.max(0, m.offsetTop - pre.offsetTop - 60); }
  }
  function showEvidence(ci, k) {
    var p = own(byId, current);
    if (!p || !p.v[ci]) { return; }
    clearEvidence();
    currentCrit = order.indexOf(ci);
    document.querySelectorAll("#detail .crit").forEach(function (b) { b.classList.toggle("current", Number(b.dataset.pos) === currentCrit); });
    var c = DATA.criteria[ci], v = p.v[ci];
    var head = document.getElementById("evidence-head");
    head.className = "";
    head.textContent = "";
    head.appendChild(el("span", "crit-id", p.id + " · " + c.id + " · " + STATE_LABEL[STATES[v[0]]]));
    var full = el("div", "muted clamp", reason(v[1]));
    full.title = "click for the full reason";
    full.addEventListener("click", function () { full.classList.toggle("clamp"); });
    head.appendChild(full);
    var evs = [];
    v[2].forEach(function (g) { g.slice(1).forEach(function (i) { evs.push(evAt(p, i)); }); });
    var meta = document.getElementById("note-meta");
    var pre = document.getElementById("note-text");
    if (!evs.length) { meta.textContent = "No evidence span: the verdict rests on the reason above."; return; }
    k = Math.min(Math.max(k || 0, 0), evs.length - 1);
    var nav = document.getElementById("evidence-nav");
    evs.forEach(function (e, i) {
      var b = evidenceButton(ci, e, i);
      b.classList.toggle("on", i === k);
      nav.appendChild(b);
    });
    var e = evs[k];
    var note = e.note;  // notes are keyed by patient: note ids are unique within a patient only
    var bits = [note && note[3] ? note[3] + " (sentence)" : e.doc];
    if (note) { bits.push(note[0], note[1]); } else if (e.date) { bits.push(e.date); }
    if (e.section) { bits.push("section: " + e.section); }
    if (e.assertion) { bits.push(e.assertion + (e.cue ? " (cue: “" + e.cue.text + "”)" : "")); }
    var val = valueText(e);
    if (val) { bits.push("value " + val); }
    meta.textContent = bits.filter(Boolean).join(" · ");
    if (note) { renderNote(note[2], e); } else { pre.textContent = e.quote + (p.notes_left_out ? "\n\n(note not on this page)" : ""); }
  }

  // ---- controls
  ["f-status", "f-crit", "f-state", "f-review"].forEach(function (id) { document.getElementById(id).addEventListener("change", renderList); });
  document.getElementById("f-search").addEventListener("input", renderList);
  document.querySelectorAll("th[data-sort]").forEach(function (th) {
    th.addEventListener("click", function () {
      sort = { key: th.dataset.sort, dir: sort.key === th.dataset.sort ? -sort.dir : 1 };
      renderList();
    });
  });
  function csvCell(x) {
    var s = String(x === undefined || x === null ? "" : x);
    if (/^[=+\-@\t\r]/.test(s)) { s = "'" + s; }  // a spreadsheet must not read a cell as a formula
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function exportCsv() {
    var head = ["order", "rank", "patient", "status", "score", "inclusions met", "inclusions", "exclusions clear",
                "exclusions", "open", "failed", "by hand", "deciding reason", "reviewed", "comment"];
    var lines = [head.map(csvCell).join(",")];
    view.forEach(function (p) {
      var m = loadMark(p.id);
      lines.push([p.pos, p.rank, p.id, p.status, p.score.toFixed(1), p.n.inc_met, p.n.inc_total, p.n.exc_clear,
                  p.n.exc_total, p.n.open, p.n.failed, p.n.manual, p.why, m.reviewed ? "yes" : "no", m.comment || ""].map(csvCell).join(","));
    });
    var blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = DATA.trial + "-review.csv";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  }
  document.getElementById("export").addEventListener("click", exportCsv);
  function step(delta) {
    if (!view.length) { return; }
    var i = view.findIndex(function (p) { return p.id === current; });
    i = i < 0 ? 0 : Math.min(Math.max(i + delta, 0), view.length - 1);
    selectPatient(view[i].id);
    var row = document.querySelector('tbody.prow[data-pid="' + CSS.escape(view[i].id) + '"]');
    if (row) { row.scrollIntoView({ block: "nearest" }); }
  }
  function stepCrit(delta) {
    if (!order.length) { return; }
    var i = Math.min(Math.max(currentCrit + delta, 0), order.length - 1);
    showEvidence(order[i], 0);
    var box = document.querySelector('#detail .crit[data-pos="' + i + '"]');
    if (box) { box.scrollIntoView({ block: "nearest" }); }
  }
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if (ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) {
      if (ev.key === "Escape") { t.blur(); }
      return;
    }
    var key = ev.key;
    if (key === "ArrowDown" || key === "j") { step(1); } else if (key === "ArrowUp" || key === "k") { step(-1); } else if (key === "ArrowRight" || key === "l") { stepCrit(1); } else if (key === "ArrowLeft" || key === "h") { stepCrit(-1); } else if (key === "Enter") {
      if (t && t.classList && t.classList.contains("prow")) { selectPatient(t.dataset.pid); } else if (t && t.tagName === "BUTTON") { return; } else { stepCrit(currentCrit < 0 ? 1 : 0); }
    } else if (key === "r") {
      var box = document.getElementById("reviewed");
      if (box) { box.checked = !box.checked; box.dispatchEvent(new Event("change")); }
    } else if (key === "/") { document.getElementById("f-search").focus(); } else { return; }
    ev.preventDefault();
  });
  renderList();
  if (view.length) { selectPatient(view[0].id); }
  document.body.dataset.ready = "1";
}).catch(function (err) {
  document.getElementById("detail").textContent = "This page could not read its data (" + err + "): open it in a current browser.";
});
