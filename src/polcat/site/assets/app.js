// polcat site: live filters and search on the index page.
//
// The entries are in the page already (it works without JavaScript); this only hides
// those that do not match. The filters live in the address after '#'
// (index.html#locality=guizhou&theme=evaluation), so a filtered view can be linked to,
// as the matrix does. Search matches as `polcat search` does: the catalogue's text was
// folded to simplified script at build time, so here only the query is folded.
(function () {
  "use strict";
  var data = window.POLCAT;
  var form = document.getElementById("filters");
  if (!data || !form) return;

  var FIELDS = ["q", "locality", "theme", "kind", "year"];
  var CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
  var MARKS = /\p{Mn}/gu;
  var notWord = new RegExp(data.notWord, "g");
  var items = Array.prototype.slice.call(document.querySelectorAll("#entries > li"));
  var count = document.getElementById("count");
  var none = document.getElementById("none");

  function element(name) { return document.getElementById(name); }

  // query.fold: no whitespace, simplified script, lowercase.
  function foldHan(text) {
    var out = "";
    for (var ch of text.replace(/\s+/g, "")) out += data.t2s[ch] || ch;
    return out.toLowerCase();
  }

  // query.fold_latin: no tones, lowercase, no spaces or punctuation (Jí'ān = jian).
  function foldLatin(text) {
    return text.normalize("NFD").replace(MARKS, "").toLowerCase().replace(notWord, "");
  }

  // query._all_words: every word is a word of one English field (plural 's' ignored).
  function englishMatch(fields, words) {
    return fields.some(function (tokens) {
      var stems = tokens.map(function (t) { return t.replace(/s+$/, ""); });
      return words.every(function (w) {
        return tokens.indexOf(w) >= 0 || stems.indexOf(w.replace(/s+$/, "")) >= 0;
      });
    });
  }

  function textMatch(entry, query) {
    query = query.trim();
    if (!query) return true;
    var han = foldHan(query);
    if (han && entry.text.indexOf(han) >= 0) return true;
    if (CJK.test(query)) return false;
    var latin = foldLatin(query);
    if (/^[a-z]+$/.test(latin) && entry.latin.indexOf(latin) >= 0) return true;
    return latin !== "" && englishMatch(entry.en, query.toLowerCase().split(/\s+/));
  }

  function matches(entry, state) {
    return Boolean(entry)
      && (!state.locality || entry.loc.indexOf(state.locality) >= 0)
      && (!state.theme || entry.themes.indexOf(state.theme) >= 0)
      && (!state.kind || entry.kind === state.kind)
      && (!state.year || String(entry.year) === state.year)
      && textMatch(entry, state.q);
  }

  function readForm() {
    var state = {};
    FIELDS.forEach(function (name) { state[name] = element(name).value; });
    return state;
  }

  function toHash(state) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) { if (state[name]) params.set(name, state[name]); });
    return params.toString();
  }

  // In the reader's language (lang.js).
  function countText(shown, total) {
    if (window.POLCAT_LANG === "zh") return shown === total ? "共 " + total + " 条" : total + " 条中的 " + shown + " 条";
    return shown === total ? total + (total === 1 ? " entry" : " entries") : shown + " of " + total + " entries";
  }

  function apply() {
    var state = readForm();
    var shown = 0;
    items.forEach(function (item) {
      var ok = matches(data.entries[item.getAttribute("data-id")], state);
      item.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = countText(shown, items.length);
    none.hidden = shown > 0;
    var hash = toHash(state);
    if (location.hash.replace(/^#/, "") !== hash) location.replace("#" + hash);
  }

  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    FIELDS.forEach(function (name) { element(name).value = params.get(name) || ""; });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  window.addEventListener("hashchange", function () { readHash(); apply(); });
  readHash();
  apply();
})();
