"""Content as Markdown, rendered to HTML that can hold no script: markdown-it-py, then nh3 (Ammonia).

Two locks, each enough on its own:
- markdown-it-py (CommonMark) with raw HTML off: `<script>` in a text is shown as text, and links with
  `javascript:`, `vbscript:`, `file:` or `data:` addresses are not made links;
- nh3 (the Rust sanitiser Ammonia) keeps only the tags, attributes and address schemes listed below,
  whatever the Markdown produced.

Pictures come only from the site's own image library: `![alternativ tekst](bilde:12)` shows image 12 with
its alternative text (the one written in the text, else the image's own). Any other picture address is
dropped and its alternative text shown instead (no tracking pixels, and the CSP allows only this site's
images). A `#` heading becomes `<h2>`: the page's own title is its only `<h1>`.
"""

import html as html_lib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

IMAGE_REF = re.compile(r"\]\(bilde:(\d+)\)")

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "del",
    "s",
    "a",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "code",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start"},
    "th": {"scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def image_ids(*texts: str) -> set[int]:
    """The library images the texts show (`bilde:<id>`), to fetch them in one query."""
    return {int(number) for text in texts for number in IMAGE_REF.findall(text or "")}


@cache
def _parser() -> MarkdownIt:
    """One parser for every text (building one costs about 1 ms; the Q&A page renders 18 texts). The images of
    the text being rendered come in markdown-it's `env`."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(["table", "strikethrough"])

    def heading_open(renderer, tokens, idx, options, env):
        token = tokens[idx]
        if token.tag == "h1":
            token.tag = "h2"
        return md.renderer.renderToken(tokens, idx, options, env)

    def heading_close(renderer, tokens, idx, options, env):
        if tokens[idx].tag == "h1":
            tokens[idx].tag = "h2"
        return md.renderer.renderToken(tokens, idx, options, env)

    def image(renderer, tokens, idx, options, env):
        token = tokens[idx]
        alt = md.renderer.renderInlineAsText(token.children or [], options, env).strip()
        src = token.attrGet("src") or ""
        match = re.fullmatch(r"bilde:(\d+)", src)
        picture = env["images"].get(int(match.group(1))) if match else None
        if picture is None:
            return escape(alt)
        return (
            f'<img src="{escape(picture.url)}" alt="{escape(alt or picture.alt)}" '
            f'width="{picture.width}" height="{picture.height}" loading="lazy">'
        )

    def th_open(renderer, tokens, idx, options, env):
        tokens[idx].attrs = {"scope": "col"}
        return md.renderer.renderToken(tokens, idx, options, env)

    def td_open(renderer, tokens, idx, options, env):
        tokens[idx].attrs = {}  # alignment would be an inline style, which the CSP forbids
        return md.renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("heading_open", heading_open)
    md.add_render_rule("heading_close", heading_close)
    md.add_render_rule("image", image)
    md.add_render_rule("th_open", th_open)
    md.add_render_rule("td_open", td_open)
    # markdown-it makes only safe links (no javascript:, vbscript:, file:, data:); validate_link is its check.
    return md


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


@dataclass(frozen=True)
class _Picture:
    """What a text shows of a library image: enough to write its `<img>`, and to key the rendered text by."""

    url: str
    alt: str
    width: int | None
    height: int | None


@lru_cache(maxsize=1024)
def _rendered(text: str, pictures: tuple[tuple[int, _Picture], ...]) -> str:
    """Rendered and sanitised once per text and pictures (the public pages show the same texts to everyone:
    the Q&A page rendered its 18 answers, 1.4 ms, on every request). Keyed by the content itself, so an edit
    is simply another key."""
    return sanitize(_parser().render(text, {"images": dict(pictures)}))


def render(text: str, images: Mapping[int, object] | None = None) -> SafeString:
    """The text as safe HTML; `images` maps the ids of `bilde:<id>` to the library's images."""
    pictures = tuple(sorted((pk, _Picture(p.url, p.alt, p.width, p.height)) for pk, p in (images or {}).items()))
    return mark_safe(_rendered(text or "", pictures))  # noqa: S308 -- sanitised by nh3 with the allow-list above


def plain(text: str, limit: int = 200) -> str:
    """The text without markup, cut at a word: for descriptions (Open Graph, search results)."""
    words = re.sub(r"\s+", " ", html_lib.unescape(nh3.clean(render(text), tags=set()))).strip()
    if len(words) <= limit:
        return words
    return words[:limit].rsplit(" ", 1)[0] + " …"
