// Small enhancements on top of server-rendered pages; every page works without them.
// Loaded with `defer` from base.html (no inline script: the CSP allows only this site's files).
(() => {
  "use strict";

  // Designsystemet's Suggestion (core.widgets.SuggestionSelect): fetch the options for what is typed,
  // and keep the chosen row's id in the hidden input the form posts.
  const DELAY_MS = 200;

  const enhanceSuggestion = (suggestion) => {
    const url = suggestion.dataset.suggestionUrl;
    const input = suggestion.querySelector("input:not([type=hidden])");
    const list = suggestion.querySelector("u-datalist");
    const chosen = suggestion.querySelector("input[data-suggestion-value]");
    if (!url || !input || !list || !chosen) return;
    let timer = 0;
    let asked = 0;
    const load = () => {
      const text = input.value.trim();
      const ticket = ++asked;
      fetch(`${url}${url.includes("?") ? "&" : "?"}q=${encodeURIComponent(text)}`, { headers: { Accept: "text/html" }, credentials: "same-origin" })
        .then((response) => (response.ok ? response.text() : ""))
        .then((html) => {
          if (ticket === asked && html) list.innerHTML = html;
        })
        .catch(() => {});
    };
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(load, DELAY_MS);
    });
    suggestion.addEventListener("comboboxafterselect", () => {
      const item = suggestion.querySelector("data");
      chosen.value = item ? item.value : "";
    });
  };

  // A wide table that scrolls sideways must be reachable by keyboard: give its region focus and a name
  // where the template has not (core/_list.html and the templates built on it already do).
  const focusableScroll = (wrap) => {
    if (wrap.hasAttribute("tabindex") || wrap.scrollWidth <= wrap.clientWidth) return;
    const caption = wrap.querySelector("caption");
    wrap.setAttribute("tabindex", "0");
    wrap.setAttribute("role", "region");
    if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
      wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
    }
  };

  const enhance = (root) => {
    root.querySelectorAll("ds-suggestion[data-suggestion-url]").forEach(enhanceSuggestion);
    root.querySelectorAll(".table-wrap").forEach(focusableScroll);
  };

  // The header's search (records.views.search): Escape, or a click outside it, puts the results away.
  const closeSearchResults = () => {
    const results = document.getElementById("site-search-results");
    if (results) results.replaceChildren();
  };
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && event.target.closest && event.target.closest(".site-search")) closeSearchResults();
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest || !event.target.closest(".site-search")) closeSearchResults();
  });

  document.addEventListener("DOMContentLoaded", () => enhance(document));
  document.addEventListener("htmx:afterSettle", (event) => enhance(event.target));
})();
