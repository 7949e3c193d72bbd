// polcat site: the reader's language, English or Chinese, kept in the address.
//
// Every page holds its labels in both languages (<span class="l-en">, <span class="l-zh">)
// and the stylesheet shows those of the class on <html> (lang-en, lang-zh). The choice
// lives in the address as ?lang=zh or ?lang=en: the site is opened from disk as often as
// from a host, and a query string on a file: address is kept by the browser and ignored
// when it reads the file, so it works everywhere without a server. Without one, the
// browser's own language decides. Links to the site's pages carry a choice made in the
// address along, so following a link or reloading keeps it. This runs in <head>, before the page is drawn,
// so the page never flashes in the other language.
(function () {
  "use strict";
  var LANGS = ["en", "zh"];

  function fromAddress() {
    var asked = new URLSearchParams(location.search).get("lang");
    return LANGS.indexOf(asked) >= 0 ? asked : null;
  }

  function fromBrowser() {
    var preferred = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
    for (var i = 0; i < preferred.length; i += 1) {
      var tag = String(preferred[i]).toLowerCase();
      if (tag.indexOf("zh") === 0) return "zh";
      if (tag.indexOf("en") === 0) return "en";
    }
    return "en";
  }

  var asked = fromAddress();
  var lang = asked || fromBrowser();
  window.POLCAT_LANG = lang;
  // <html lang> stays zh-Hans: most of the catalogue's text is Chinese, and the English
  // labels and texts carry lang="en" themselves.
  document.documentElement.classList.add("lang-" + lang);

  // A link to one of the site's pages (relative, to an .html file), with ?lang= set.
  var PAGE = /^([^?#:]*\.html)(\?[^#]*)?(#.*)?$/;

  function withLang(href, chosen) {
    var m = PAGE.exec(href);
    if (!m || href.indexOf("//") === 0) return null;
    var params = new URLSearchParams((m[2] || "").replace(/^\?/, ""));
    params.set("lang", chosen);
    return m[1] + "?" + params.toString() + (m[3] || "");
  }

  function localise() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-zh]"), function (el) {
      el.textContent = el.getAttribute(lang === "zh" ? "data-zh" : "data-en");
    });
    // Chosen in the address: links carry it on. Otherwise each page asks the browser again.
    Array.prototype.forEach.call(document.querySelectorAll(asked ? "a[href]" : "a[data-lang]"), function (a) {
      var href = withLang(a.getAttribute("href"), a.getAttribute("data-lang") || lang);
      if (href) a.setAttribute("href", href);
    });
    // The switch keeps what follows '#' (the index's filters), which changes as one filters.
    Array.prototype.forEach.call(document.querySelectorAll("a[data-lang]"), function (a) {
      a.addEventListener("click", function () {
        a.setAttribute("href", a.getAttribute("href").split("#")[0] + location.hash);
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", localise);
  else localise();
})();
