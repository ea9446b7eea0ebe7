"""The browser side of a Dutch page: ``<html lang="nl">`` and Streamlit's own control texts.

Streamlit writes ``<html lang="en">`` and has no setting for the page language, and some
texts of its controls (the file uploader's ``Upload`` and ``20MB per file``, the table
toolbar's ``Add row``) are fixed in its frontend. :func:`page_script` is a small script the
app inserts on every page (``st.html(..., unsafe_allow_javascript=True)``): it sets the
document's language to Dutch and translates those fixed texts, also in elements that
appear later (a ``MutationObserver``). It changes only text nodes and the ``title``,
``aria-label`` and ``placeholder`` attributes whose whole text is a known English text; it
sends nothing anywhere. Texts drawn inside a table's canvas cannot be reached this way.
"""

from __future__ import annotations

import json
import re

__all__ = ["PAGE_LANGUAGE", "STREAMLIT_TEXTS", "page_script", "translate"]

PAGE_LANGUAGE = "nl"

STREAMLIT_TEXTS: dict[str, str] = {
    "Upload": "Bestand kiezen",
    "Upload directories": "Mappen kiezen",
    "Browse files": "Bestand kiezen",
    "Drag and drop file here": "Sleep een bestand hierheen",
    "Drag and drop files here": "Sleep bestanden hierheen",
    "Add row": "Rij toevoegen",
    "Delete row": "Rij verwijderen",
    "Delete rows": "Rijen verwijderen",
    "Download as CSV": "Downloaden als CSV",
    "Search": "Zoeken",
    "Fullscreen": "Volledig scherm",
    "Close fullscreen": "Volledig scherm sluiten",
    "Show/hide columns": "Kolommen tonen/verbergen",
    "Remove file": "Bestand verwijderen",
    "Clear all": "Alles wissen",
    "Clear value": "Waarde wissen",
    "Choose an option": "Kies een optie",
    "Choose options": "Kies opties",
    "No results": "Geen resultaten",
    "Running...": "Bezig…",
    "Please fill out this cell.": "Vul deze cel in.",
    "Link to heading": "Link naar deze kop",
    "Skip to main content": "Naar de hoofdinhoud",
    "Open sidebar": "Zijbalk openen",
    "Close sidebar": "Zijbalk sluiten",
    "Collapse sidebar": "Zijbalk inklappen",
    "Expand sidebar": "Zijbalk uitklappen",
}
"""English texts of Streamlit's controls and their Dutch wording (whole texts only)."""

_PER_FILE = re.compile(r"^(\d+(?:\.\d+)?)\s*([KMG]?B) per file$")
_HELP_FOR = re.compile(r"^Help for (.+)$")


def translate(text: str) -> str:
    """The Dutch wording of one of Streamlit's control texts (others come back unchanged).

    ``translate("Upload") == "Bestand kiezen"``; ``translate("20MB per file") ==
    "maximaal 20 MB per bestand"``.
    """
    stripped = text.strip()
    if stripped in STREAMLIT_TEXTS:
        return text.replace(stripped, STREAMLIT_TEXTS[stripped])
    m = _PER_FILE.match(stripped)
    if m:
        return text.replace(stripped, f"maximaal {m.group(1)} {m.group(2)} per bestand")
    m = _HELP_FOR.match(stripped)
    if m:
        return text.replace(stripped, f"Uitleg bij {m.group(1)}")
    return text


_SCRIPT = """
(function () {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const texts = __TEXTS__;
  const perFile = /^(\\d+(?:\\.\\d+)?)\\s*([KMG]?B) per file$/;
  const helpFor = /^Help for (.+)$/;
  function nl(text) {
    const t = text.trim();
    if (Object.prototype.hasOwnProperty.call(texts, t)) return text.replace(t, texts[t]);
    const m = perFile.exec(t);
    if (m) return text.replace(t, "maximaal " + m[1] + " " + m[2] + " per bestand");
    const h = helpFor.exec(t);
    if (h) return text.replace(t, "Uitleg bij " + h[1]);
    return text;
  }
  const attributes = ["title", "aria-label", "placeholder"];
  function fix(root) {
    if (doc.documentElement.lang !== "__LANG__") doc.documentElement.lang = "__LANG__";
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const v = node.nodeValue;
      if (v && v.trim()) {
        const w = nl(v);
        if (w !== v) node.nodeValue = w;
      }
    }
    const selector = "[title],[aria-label],[placeholder]";
    const elements = root.querySelectorAll ? root.querySelectorAll(selector) : [];
    for (const el of elements) {
      for (const a of attributes) {
        const v = el.getAttribute(a);
        if (v) {
          const w = nl(v);
          if (w !== v) el.setAttribute(a, w);
        }
      }
    }
  }
  fix(doc.body);
  if (!doc.__consultplannerNl) {
    doc.__consultplannerNl = true;
    new MutationObserver(function (changes) {
      for (const c of changes) {
        if (c.type === "characterData" && c.target.parentNode) fix(c.target.parentNode);
        for (const n of c.addedNodes) {
          if (n.nodeType === 1) fix(n);
          else if (n.nodeType === 3 && n.parentNode) fix(n.parentNode);
        }
      }
      if (doc.documentElement.lang !== "__LANG__") doc.documentElement.lang = "__LANG__";
    }).observe(doc.documentElement, {
      childList: true, subtree: true, characterData: true, attributes: true,
      attributeFilter: ["lang"],
    });
  }
})();
"""


def page_script() -> str:
    """The ``<script>`` that makes the page Dutch (language and Streamlit's control texts)."""
    body = _SCRIPT.replace("__TEXTS__", json.dumps(STREAMLIT_TEXTS, ensure_ascii=False))
    return "<script>" + body.replace("__LANG__", PAGE_LANGUAGE) + "</script>"
