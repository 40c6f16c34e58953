/* propscope content script: reads the page's main text with a map back to the DOM, highlights
   the findings in place and shows them in a panel. Injected on demand by background.js (after
   categories.js), into the extension's isolated world: page scripts cannot see or break it, and
   it leaves the page's own elements alone (it only splits text nodes and wraps pieces of them,
   and puts every node back as it was on close). */
(() => {
  "use strict";
  if (globalThis.__propscope) return;

  const CATEGORIES = globalThis.PROPSCOPE_CATEGORIES;
  const COLOURS = Object.fromEntries(CATEGORIES.map((c) => [c.name, c]));
  const HTML_NS = "http://www.w3.org/1999/xhtml";

  /** `base`, unless the page has defined a custom element of that name (its class would run
      on the extension's elements: take them over, or watch every mark): then `base` with a
      random suffix, a name no page can have defined in advance. */
  function freeName(base) {
    let name = base;
    for (;;) {
      const probe = document.createElement(name);
      if (!probe.matches(":defined")) return name;
      const bytes = crypto.getRandomValues(new Uint8Array(6));
      name = `${base}-${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
    }
  }

  // The extension's own elements: the marks, the panel's host and the wrapper of a text run
  // in a flex or grid container (names chosen per analysis by names(), background.js styles
  // them).
  const BASE = { mark: "propscope-mark", host: "propscope-panel", run: "propscope-run" };
  let MARK = BASE.mark;
  let HOST = BASE.host;
  let RUN = BASE.run;

  /** Choose the names of the extension's elements for this analysis (the panel keeps its
      host while it is in the page); background.js styles the elements by them. */
  function chooseNames() {
    MARK = freeName(BASE.mark);
    RUN = freeName(BASE.run);
    if (!panel || !panel.host.isConnected) HOST = freeName(BASE.host);
    return { mark: MARK, host: HOST, run: RUN };
  }

  // Never part of an article's text: code, media, controls, navigation and page furniture
  // (local names of HTML elements; SVG and MathML are skipped by their namespace).
  const SKIP_TAGS = new Set([
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "video", "audio", "button", "input", "select", "textarea", "nav", "aside", "footer",
    "form", "figcaption", "menu", "dialog", "head", "title", "address", "amp-ad", "amp-embed",
    "amp-sticky-ad",
  ]);

  function ours(el) {
    const name = el.localName;
    return name === MARK || name === RUN || (panel !== null && el === panel.host) || name === HOST;
  }
  // Class or id words of boxes inside an article that are not its text.
  const FURNITURE =
    /(^|[\s_-])(share|sharing|social|related|recommended|newsletter|subscribe|subscription|cookies?|consent|gdpr|banner|promo|advert|advertisement|sponsored|comments?|sidebar|breadcrumbs?|paywall|outbrain|taboola)([\s_-]|$)/i;
  // An advert's box: a class or id that starts with the word "ad" or "ads" ("ad-slot",
  // "ads_box"; not "no-ads" or "has-ad", which a wrapper of the article may have).
  const ADVERT = /(^|\s)ads?([\s_-]|$)/i;
  // Class or id words of the article's metadata and asides, not its text: bylines,
  // datelines, tags, "read also" boxes, captions, live-blog badges and times. Only outside a
  // paragraph: inside one, such an element is a part of a sentence ("said <span
  // class=author>Ann Smith</span>").
  const META = new RegExp(
    `(^|[\\s_-])(${[
      "bylines?", "by-line", "authors?", "autor", "autore", "auteur", "writer", "signature",
      "credits?", "dateline", "date", "datetime", "published", "pubdate", "timestamp", "time",
      "updated", "meta", "metadata", "tags", "tag-list", "taglist", "keywords", "sources?",
      "read", "readalso", "readmore", "see-also", "leggi-anche", "lire-aussi", "lesen-sie-auch",
      "badge", "caption",
    ].join("|")})([\\s_-]|$)`,
    "i",
  );
  // What marks a line as a byline or a dateline, whatever its class: its author, its date.
  const AUTHOR_MARKS = 'a[rel~="author"], [itemprop~="author"]';
  const BYLINE_MARKS =
    `${AUTHOR_MARKS}, time, [itemprop~="datePublished"], [itemprop~="dateModified"]`;
  const MIN_WORDS = 80;
  const MIN_PARAGRAPH = 40; // characters of a <p> that counts as a paragraph of the article
  const META_CHARS = 500; // a box named like metadata holds a line or a few, not the article

  const ourMarks = new WeakSet(); // every mark this script made (its name may change)
  let view = null; // {segments, text, groups, marks, spans, analysis, enabled}
  let panel = null;

  // --- reading the page ---------------------------------------------------------------------

  /** An element the page hides with all it holds. `visibility: hidden` is not one: a child
      may set `visibility: visible` and show (see textStyle). */
  function hidden(el) {
    if (el.hidden || el.getAttribute("aria-hidden") === "true") return true;
    return getComputedStyle(el).display === "none";
  }

  let pageChars = Infinity; // the body's text length, set on each reading

  /** A box named like furniture, unless it holds the headline or half the page's text (a
      wrapper such as class="layout has-sidebar" around the article itself); or a box named
      like metadata, outside a paragraph, that holds no headline and at most a few lines. */
  function furniture(el) {
    const words = `${el.id || ""} ${typeof el.className === "string" ? el.className : ""}`;
    const complementary = el.getAttribute("role") === "complementary";
    if (FURNITURE.test(words) || ADVERT.test(words) || complementary) {
      return !el.querySelector("h1") && el.textContent.length < 0.5 * pageChars;
    }
    if (META.test(words) && !(el.parentElement && el.parentElement.closest("p"))) {
      return !el.querySelector("h1") && el.textContent.length < META_CHARS;
    }
    return false;
  }

  let bylines = new Set(); // the nodes of the bylines and datelines found on this reading

  /** The nodes of the lines that are a byline or a dateline by their content, whatever their
      class: a line (the run of inline content between blocks) that holds an author
      (rel=author, itemprop=author) or a date (<time>, itemprop=datePublished) and few words
      besides ("Par <a rel=author>…</a> (avec AFP) — Publié le <time>…</time>", "Updated
      <time>…</time>"). A date in a sentence ("the vote is set for <time>3 March</time>") has
      more words around it and stays. A line that is all of its block takes the block. */
  function findBylines() {
    const found = new Set();
    const seen = new Set();
    for (const marker of document.querySelectorAll(BYLINE_MARKS)) {
      if (marker.closest("h1, h2, h3, h4, h5, h6")) continue; // a live blog's "17:30 Talks end"
      let node = marker;
      while (node.parentElement && node.parentElement !== document.body && !isBlock(node)) {
        if (isBlock(node.parentElement)) break;
        node = node.parentElement;
      }
      if (isBlock(node)) {
        if (isByline([node])) found.add(node); // an author or a date in a block of its own
        continue;
      }
      const run = lineAround(node);
      if (seen.has(run[0])) continue;
      seen.add(run[0]);
      if (!isByline(run)) continue;
      const block = node.parentElement;
      const alone =
        block !== document.body &&
        [...block.childNodes].every(
          (n) => run.includes(n) || n.nodeType === Node.COMMENT_NODE || !n.textContent.trim(),
        );
      if (alone) found.add(block);
      else for (const n of run) found.add(n);
    }
    return found;
  }

  /** The siblings of `node` on its line: up to the block elements (or ends) around it. */
  function lineAround(node) {
    const inline = (n) =>
      n.nodeType !== Node.ELEMENT_NODE || (n.localName !== "br" && !isBlock(n));
    let first = node;
    while (first.previousSibling && inline(first.previousSibling)) first = first.previousSibling;
    const run = [];
    for (let n = first; n && inline(n); n = n.nextSibling) run.push(n);
    return run;
  }

  /** Whether the nodes of a line are a byline or a dateline: an author or a date, and at
      most 6 words besides (3 with a date alone: "Updated", "Publié le"). */
  function isByline(nodes) {
    let text = "";
    let author = false;
    let date = false;
    for (const n of nodes) {
      if (n.nodeType === Node.TEXT_NODE) {
        text += ` ${n.data}`;
      } else if (n.nodeType === Node.ELEMENT_NODE) {
        if (n.textContent.length > 400) return false; // a paragraph, not a line of metadata
        const marks = n.matches(BYLINE_MARKS) ? [n] : [...n.querySelectorAll(BYLINE_MARKS)];
        if (!marks.length) {
          text += ` ${n.textContent}`;
          continue;
        }
        const walker = document.createTreeWalker(n, NodeFilter.SHOW_TEXT);
        for (let t = walker.nextNode(); t; t = walker.nextNode()) {
          if (!marks.some((m) => m.contains(t))) text += ` ${t.data}`;
        }
        for (const m of marks) {
          if (m.matches(AUTHOR_MARKS)) author = true;
          else date = true;
        }
      }
      if (text.length > 400) return false;
    }
    const words = (text.match(/[\p{L}\p{N}]+/gu) || []).length;
    return (author && words <= 6) || (date && words <= 3);
  }

  // What skipped() and assigned() found for each element, for one reading of the page: a
  // paragraph asks about each of its ancestors, and furniture() measures a whole box, so
  // without it a page of many paragraphs in a box named like furniture reads in quadratic time.
  let skipMemo = new Map();
  let slotMemo = new Map();
  let textMemo = new Map(); // element -> how its own text nodes show: {shown, space}

  /** How `el` shows the text nodes it holds: whether they are visible (`visibility` is
      inherited and a child may undo a parent's `hidden`), and its white space: "collapse"
      (runs become one space), "pre-line" (line breaks kept, spaces collapsed) or "pre" (all
      kept: pre, pre-wrap, break-spaces, a text/plain page). */
  function textStyle(el) {
    let answer = textMemo.get(el);
    if (answer === undefined) {
      const style = getComputedStyle(el);
      const collapse = style.whiteSpaceCollapse || "";
      const ws = style.whiteSpace || "";
      let space = "collapse";
      if (collapse === "preserve-breaks" || (!collapse && ws === "pre-line")) space = "pre-line";
      else if (/^(preserve|break-spaces)/.test(collapse) || (!collapse && /^(pre|break)/.test(ws))) {
        space = "pre";
      }
      answer = { shown: style.visibility === "visible", space };
      textMemo.set(el, answer);
    }
    return answer;
  }

  function shows(el) {
    return textStyle(el).shown;
  }

  function skipped(el) {
    let answer = skipMemo.get(el);
    if (answer === undefined) {
      answer =
        el.namespaceURI !== HTML_NS ||
        SKIP_TAGS.has(el.localName) ||
        ours(el) ||
        el.isContentEditable || // a draft being edited: marks would go into what it saves
        unrendered(el) ||
        bylines.has(el) ||
        furniture(el) ||
        hidden(el);
      skipMemo.set(el, answer);
    }
    return answer;
  }

  /** The nodes the slots of `host`'s shadow root (open or closed) show, or null when it has
      none: its other light-DOM children are not rendered. */
  function assigned(host) {
    if (slotMemo.has(host)) return slotMemo.get(host);
    let root = host.shadowRoot;
    if (!root && globalThis.chrome && chrome.dom && chrome.dom.openOrClosedShadowRoot) {
      try {
        root = chrome.dom.openOrClosedShadowRoot(host);
      } catch {
        root = null;
      }
    }
    let shown = null;
    if (root) {
      shown = new Set();
      for (const slot of root.querySelectorAll("slot")) {
        for (const node of slot.assignedNodes()) shown.add(node);
      }
    }
    slotMemo.set(host, shown);
    return shown;
  }

  /** A node (element or text) its parent does not render: the content of a closed <details>
      (all but its first <summary>), or a child of a shadow host that no slot shows. */
  function unrendered(node) {
    const parent = node.parentElement;
    if (!parent) return false;
    if (parent.localName === "details" && !parent.open) {
      return node !== parent.querySelector(":scope > summary");
    }
    const shown = assigned(parent);
    return shown !== null && !shown.has(node);
  }

  // What the server refuses in text: a lone surrogate (half of a pair, left by a page's
  // script: not UTF-8) and NUL (the server's rule for binary data).
  const UNSENDABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/g;

  /** `text` with each character the server refuses (a lone surrogate, NUL) replaced by
      U+FFFD: the same length in UTF-16 units, so offsets hold. */
  function wellFormed(text) {
    return text.replace(UNSENDABLE, "\uFFFD");
  }

  function isBlock(el) {
    const display = getComputedStyle(el).display;
    return !display.startsWith("inline") && display !== "contents";
  }

  function paragraphChars(root) {
    let n = 0;
    for (const p of root.querySelectorAll("p")) {
      if (!skippedUpTo(p, root) && shows(p)) n += p.textContent.trim().length;
    }
    return n;
  }

  function skippedUpTo(el, root) {
    for (let e = el; e && e !== root; e = e.parentElement) if (skipped(e)) return true;
    return false;
  }

  /** The element holding the article: a marked-up article body, else the block with the most
      paragraph text (a cheap Readability), else the body. */
  function chooseRoot() {
    for (const selector of ['[itemprop="articleBody"]', "article", "main, [role=main]"]) {
      let best = null;
      let bestChars = 0;
      for (const el of document.querySelectorAll(selector)) {
        if (skippedUpTo(el, null)) continue;
        const chars = paragraphChars(el);
        if (chars > bestChars) [best, bestChars] = [el, chars];
      }
      if (best && bestChars >= 300) return best;
    }
    return paragraphBlock() || document.body;
  }

  /** The element that holds the article's paragraphs together, on a page without article
      markup (a cheap Readability): each element scores the text of the paragraphs it holds
      (each <p> of MIN_PARAGRAPH characters or more that is not mostly a link) less the other
      text it shows (links, labels: what navigation and lists of stories are made of;
      headings, short paragraphs and list items that are not mostly a link count for
      neither), and the best wins, the deeper one on a tie (a wrapper that adds nothing).
      Scoring each paragraph's parent alone took one of the several <div>s an article's
      paragraphs may sit in. Null when no paragraph counts. */
  function paragraphBlock() {
    if (!document.body) return null;
    let best = null;
    let bestScore = 0;
    // in post-order, without recursion: a page may nest deeper than the call stack goes
    const stack = [{ el: document.body, next: document.body.firstChild, para: 0, other: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1];
      const node = top.next;
      if (node === null) {
        stack.pop();
        if (top.para > 0 && top.para - top.other > bestScore) {
          [best, bestScore] = [top.el, top.para - top.other];
        }
        const parent = stack[stack.length - 1];
        if (parent) {
          parent.para += top.para;
          parent.other += top.other;
        }
        continue;
      }
      top.next = node.nextSibling;
      if (node.nodeType === Node.TEXT_NODE) {
        if (!bylines.has(node) && !unrendered(node) && shows(top.el)) {
          top.other += node.data.trim().length;
        }
      } else if (node.nodeType !== Node.ELEMENT_NODE || skipped(node)) {
        continue;
      } else if (
        node.localName === "p" ||
        (node.localName === "li" && !node.querySelector("p"))
      ) {
        // a list item counts as other text only as a link (a menu, a list of stories): the
        // article's own lists of points are neither
        if (!shows(node)) continue;
        const chars = node.textContent.trim().length;
        let links = 0;
        for (const a of node.querySelectorAll("a")) links += a.textContent.trim().length;
        if (links >= 0.5 * chars) top.other += chars;
        else if (chars >= MIN_PARAGRAPH && node.localName === "p") top.para += chars;
      } else if (!/^h[1-6]$/.test(node.localName)) {
        stack.push({ el: node, next: node.firstChild, para: 0, other: 0 });
      }
    }
    return best;
  }

  /** Where the article's prose starts in `root` on a page that shows no headline: the block
      of its first text of 8 words or more (a section's label, a kicker or a date above it
      is not the article); null for the start of `root`. */
  function firstProse(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const parent = t.parentElement;
      if (!t.data.trim() || !parent || bylines.has(t) || unrendered(t)) continue;
      if (skippedUpTo(parent, root) || !shows(parent)) continue;
      let block = parent;
      while (block !== root && !isBlock(block)) block = block.parentElement;
      if (block === root) return null;
      if ((block.textContent.match(/\S+/g) || []).length >= 8) return block;
    }
    return null;
  }

  // What separates a headline from the names of the site and its section in a <title>:
  // "Headline | Section | Site", "Headline - Site" (not a colon: "Ukraine : Moscou accuse…").
  const TITLE_SEPARATOR = /(\s+(?:[|\u2013\u2014\u00b7\u2022\u00bb~]|-{1,2}|::)\s+)/;

  function wordCount(text) {
    return (text.match(/[\p{L}\p{N}]+/gu) || []).length;
  }

  /** `title` without the site's name at its start or end (its og:site_name), and, when
      `loose`, without the short parts after the headline (a section's and a site's names:
      "Headline | Economia | Gazzetta del Centro"). */
  function withoutSiteName(title, loose) {
    const meta = document.querySelector('meta[property="og:site_name"], meta[name="og:site_name"]');
    const fold = (text) => text.toLowerCase().replace(/\s+/g, " ").trim();
    const site = fold((meta && meta.getAttribute("content")) || "");
    const same = (text) => site !== "" && fold(text) === site;
    const parts = title.replace(/\s+/g, " ").trim().split(TITLE_SEPARATOR); // text, sep, text…
    while (parts.length > 1 && same(parts[0])) parts.splice(0, 2);
    while (parts.length > 1) {
      const last = parts[parts.length - 1];
      const rest = parts.slice(0, -2).join("");
      if (!same(last) && !(loose && wordCount(last) <= 4 && wordCount(last) < wordCount(rest))) {
        break;
      }
      parts.splice(-2, 2);
    }
    return parts.join("");
  }

  /** The headline of a page that shows no <h1>, as the server takes it from a page's
      address: its og:title (or twitter:title), else its <title> without the names of the
      site and the section. */
  function pageTitle() {
    for (const key of ["og:title", "twitter:title"]) {
      const meta = document.querySelector(`meta[property="${key}"], meta[name="${key}"]`);
      const content = meta && (meta.getAttribute("content") || "").trim();
      if (content) return withoutSiteName(content, false);
    }
    return withoutSiteName(document.title, true);
  }

  /** The page's headline when the article root does not hold it (it becomes the title line). */
  function outsideHeadline(root) {
    if ([...root.querySelectorAll("h1")].some((h) => !skippedUpTo(h, root) && shows(h))) {
      return null;
    }
    for (const h1 of document.querySelectorAll("h1")) {
      if (!skippedUpTo(h1, null) && shows(h1) && h1.textContent.trim()) return h1;
    }
    return null;
  }

  /** The rendered text of the article, whitespace collapsed as the browser shows it, one line
      per block, and segments mapping each character back to (text node, offset). */
  function readArticle() {
    const root = chooseRoot();
    const segments = []; // {node, start, map: node offsets of text[start + k]}
    let text = "";
    // the last character of `text`: reading it from the string, which grows by one
    // character at a time, made the engine flatten the whole string at every space (reading
    // 1,000 paragraphs took 8 s)
    let lastChar = "";
    let pendingBreak = false;
    let pendingSpace = null; // {node, index} of the whitespace to emit before the next word

    function emit(ch, node, index) {
      const last = segments[segments.length - 1];
      if (node && last && last.node === node && last.start + last.map.length === text.length) {
        last.map.push(index);
      } else if (node) {
        segments.push({ node, start: text.length, map: [index] });
      }
      text += ch;
      lastChar = ch;
    }

    /** Before a character of the text: the line break or space pending from what came
        before (none at the start of the text or of a line). */
    function flush() {
      if (pendingBreak) {
        if (text.length && lastChar !== "\n") emit("\n", null, 0);
        pendingBreak = false;
        pendingSpace = null;
      } else if (pendingSpace) {
        if (text.length && lastChar !== "\n") {
          emit(" ", pendingSpace.node, pendingSpace.index);
        }
        pendingSpace = null;
      }
    }

    function addText(node) {
      const raw = node.data;
      const { space } = textStyle(node.parentElement);
      for (let i = 0; i < raw.length; i++) {
        const ch = raw[i];
        const newline = ch === "\n" || ch === "\r";
        if (space !== "collapse" && newline) {
          // a line break the page shows (<pre>, white-space: pre-wrap or pre-line, text/plain)
          if (ch === "\r" && raw[i + 1] === "\n") continue;
          if (pendingBreak) flush();
          pendingSpace = null; // pre-line drops the spaces before a break
          emit("\n", node, i);
          continue;
        }
        if (space === "pre" && (ch === " " || ch === "\t" || ch === "\f")) {
          flush();
          emit(ch === "\f" ? " " : ch, node, i);
          continue;
        }
        if (ch === " " || ch === "\t" || newline || ch === "\f") {
          if (!pendingBreak && text.length && !pendingSpace) pendingSpace = { node, index: i };
          continue;
        }
        flush();
        emit(ch, node, i);
      }
    }

    // The headline starts the text: a kicker or date line above it is not the article; on
    // a page without one, the first line of prose does.
    const headline = outsideHeadline(root);
    const start =
      [...root.querySelectorAll("h1")].find((h) => !skippedUpTo(h, root) && shows(h)) ||
      (headline ? null : firstProse(root));
    let started = !start;

    function walk(el) {
      for (let child = el.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === Node.TEXT_NODE) {
          if (started && shows(el) && !unrendered(child) && !bylines.has(child)) addText(child);
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          if (!started) {
            if (child === start) started = true;
            else if (!child.contains(start)) continue;
          }
          if (child.localName === "br") {
            pendingBreak = true;
            continue;
          }
          if (skipped(child)) continue;
          const block = isBlock(child);
          if (block) pendingBreak = true;
          walk(child);
          if (block) pendingBreak = true;
        }
      }
    }

    if (headline) {
      walk(headline);
      pendingBreak = true;
    }
    walk(root);
    for (const seg of segments) seg.end = seg.start + seg.map.length;
    return { root, text: wellFormed(text), segments, headline };
  }

  // --- highlighting ------------------------------------------------------------------------

  /** The UTF-16 position in `text` of each code point offset, and of the end: the server's
      offsets count code points (Python's str indices), and an emoji or any other character
      outside the BMP is two units of a JavaScript string. */
  function unitOffsets(text) {
    const units = new Uint32Array(text.length + 1);
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      units[n++] = i;
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) i++;
      }
    }
    units[n] = text.length;
    return units.subarray(0, n + 1);
  }

  /** Spans with their start and end as UTF-16 positions in `text` (the server's are code
      points); an offset past the text's end becomes its end. */
  function inUnits(text, spans) {
    const units = unitOffsets(text);
    const at = (k) => units[Math.max(0, Math.min(k, units.length - 1))];
    return spans.map((s) => ({ ...s, start: at(s.start), end: at(s.end) }));
  }

  const REPLACED = /[\uD800-\uDFFF\u0000]/; // what wellFormed() sends as U+FFFD

  /** Whether the page still shows `span` where it was read: every character's text node is
      in the document and holds, at the offset read, the character that was sent (white space
      for a collapsed space, a surrogate or NUL for U+FFFD), outside any region the user can
      edit. The page may have changed its text while the server was analysing; a finding
      whose text is not there any more is not marked. */
  function stillThere(read, span) {
    for (const seg of read.segments) {
      if (seg.end <= span.start || seg.start >= span.end) continue;
      const node = seg.node;
      if (!node.isConnected || !node.parentNode) return false;
      if (node.parentElement && node.parentElement.isContentEditable) return false;
      const data = node.data;
      const from = Math.max(span.start, seg.start);
      const to = Math.min(span.end, seg.end);
      for (let k = from; k < to; k++) {
        const index = seg.map[k - seg.start];
        if (index >= data.length) return false;
        const [now, sent] = [data[index], read.text[k]];
        if (now === sent) continue;
        if (sent === " " && /\s/.test(now)) continue;
        if (sent === "\n" && now === "\r") continue;
        if (sent === "\uFFFD" && REPLACED.test(now)) continue;
        return false;
      }
    }
    return true;
  }

  const FLOWING = /^(inline-)?(flex|grid)$|^-webkit-(inline-)?box$/;

  /** The run of text (and comment) nodes around `node` when its parent lays out its children
      as flex or grid items: there each element child is an item of its own, and a mark would
      cut the run's one anonymous item into several (moving the layout). The run is wrapped
      in one RUN element that takes the anonymous item's place (styled `all: unset`, it is
      the same box); null when no wrapper is needed or it is there already. */
  function runToWrap(node) {
    const parent = node.parentElement;
    if (!parent || parent.localName === RUN) return null;
    let box = parent;
    let display = getComputedStyle(box).display;
    while (display === "contents" && box.parentElement) {
      box = box.parentElement;
      display = getComputedStyle(box).display;
    }
    if (!FLOWING.test(display)) return null;
    const loose = (n) => n && (n.nodeType === Node.TEXT_NODE || n.nodeType === Node.COMMENT_NODE);
    let first = node;
    while (loose(first.previousSibling)) first = first.previousSibling;
    let last = node;
    while (loose(last.nextSibling)) last = last.nextSibling;
    return [first, last];
  }

  /** Wrap the DOM text of the spans whose `present` is true in marks: each text node is split
      once at all span boundaries inside it, and each covered piece is wrapped (data-spans: the
      covering spans). Each group records the node, the pieces split from it and the text of
      each, so that undo() can tell what the page changed since. On any failure everything
      done so far is undone before the error goes on: the page never keeps half of the
      highlights. */
  function highlight(read, spans, present) {
    const cuts = new Map(); // node -> [{from, to, span}]
    spans.forEach((span, i) => {
      if (!present[i]) return;
      for (const seg of read.segments) {
        if (seg.end <= span.start || seg.start >= span.end) continue;
        const a = Math.max(span.start, seg.start) - seg.start;
        const b = Math.min(span.end, seg.end) - seg.start;
        if (!cuts.has(seg.node)) cuts.set(seg.node, []);
        cuts.get(seg.node).push({ from: seg.map[a], to: seg.map[b - 1] + 1, span: i });
      }
    });
    // to restore on close: {node, pieces (split from it, in order), texts (of node and
    // pieces when done)}, the marks, and the run wrappers
    const done = { groups: [], marks: [], runs: [] };
    const seen = new Set();
    try {
      for (const [node, ranges] of cuts) {
        const run = runToWrap(node);
        if (run) {
          const wrapper = document.createElement(RUN);
          run[0].parentNode.insertBefore(wrapper, run[0]);
          done.runs.push(wrapper);
          const moved = [];
          for (let n = run[0]; n; n = n === run[1] ? null : n.nextSibling) moved.push(n);
          wrapper.append(...moved);
        }
        const length = node.data.length;
        const points = [...new Set([0, length, ...ranges.flatMap((r) => [r.from, r.to])])]
          .sort((x, y) => x - y);
        const group = { node, pieces: [], texts: null };
        done.groups.push(group);
        let current = node; // the piece of the original node that starts at `offset`
        let offset = 0;
        for (let k = 0; k + 1 < points.length; k++) {
          const [a, b] = [points[k], points[k + 1]];
          if (a > offset) {
            current = current.splitText(a - offset);
            group.pieces.push(current);
            offset = a;
          }
          const piece = current;
          if (b < length) {
            current = piece.splitText(b - a);
            group.pieces.push(current);
            offset = b;
          }
          const covering = ranges.filter((r) => r.from <= a && r.to >= b).map((r) => r.span);
          if (!covering.length) continue;
          const mark = document.createElement(MARK);
          ourMarks.add(mark);
          const ids = [...new Set(covering)].sort((x, y) => x - y);
          mark.dataset.spans = ids.join(" ");
          const firsts = ids.filter((i) => !seen.has(i));
          firsts.forEach((i) => seen.add(i));
          if (firsts.length) mark.dataset.first = firsts.join(" ");
          piece.parentNode.insertBefore(mark, piece);
          done.marks.push(mark);
          mark.appendChild(piece);
        }
        group.texts = [node.data, ...group.pieces.map((p) => p.data)];
      }
    } catch (error) {
      undo(done);
      throw error;
    }
    return done;
  }

  /** Put the page's text node of `group` back as it was, as far as the page left it alone:
      the marks around its pieces go, and each piece still as it was and next to the text
      before it is joined back into the node. When the page rewrote or removed the node it
      holds (a live update, a re-render), the pieces of the old text split from it go too:
      what the page removed or replaced never comes back. A piece the page changed stays as
      the page left it. */
  function restoreGroup(group) {
    if (group.restored) return;
    group.restored = true;
    const { node, pieces } = group;
    const texts = group.texts || [node.data, ...pieces.map((p) => p.data)];
    for (const piece of pieces.concat(node)) {
      const mark = piece.parentNode;
      if (mark && ourMarks.has(mark)) mark.replaceWith(...mark.childNodes);
    }
    if (!node.parentNode || node.data !== texts[0]) {
      pieces.forEach((p, k) => {
        if (p.data === texts[k + 1]) p.remove();
      });
      return;
    }
    pieces.forEach((p, k) => {
      if (p.data !== texts[k + 1] || node.nextSibling !== p) return;
      node.appendData(p.data);
      p.remove();
    });
  }

  /** Take out the marks and the run wrappers and join the split text nodes again: the page's
      own nodes, as they were, where the page did not change them meanwhile. */
  function undo({ groups, marks, runs, watcher }) {
    if (watcher) watcher.disconnect();
    for (const group of groups) restoreGroup(group);
    for (const mark of marks) if (mark.parentNode) mark.replaceWith(...mark.childNodes);
    for (const run of runs || []) if (run.parentNode) run.replaceWith(...run.childNodes);
  }

  /** While the highlights are shown, a page that rewrites a highlighted text node (a live
      blog, a ticking clock, a framework's update) gets its text as it wrote it at once: that
      node's marks and the old text split from it go. */
  function watch(done) {
    const byNode = new Map();
    for (const group of done.groups) byNode.set(group.node, group);
    const watcher = new MutationObserver((records) => {
      for (const record of records) {
        const group = byNode.get(record.target);
        if (group && !group.restored && group.node.data !== group.texts[0]) restoreGroup(group);
      }
    });
    for (const node of byNode.keys()) watcher.observe(node, { characterData: true });
    done.watcher = watcher;
  }

  /** Colours of a mark from its active spans, as the report does: category bands, the
      underline of the innermost span, its style by voice (quoted dashed, reported dotted). */
  function restyle(mark) {
    const ids = mark.dataset.spans.split(" ").map(Number);
    const on = ids.filter((i) => view.enabled.has(view.spans[i].category));
    if (!on.length) {
      mark.classList.add("off");
      return;
    }
    mark.classList.remove("off");
    const order = on.sort((x, y) => {
      const [a, b] = [view.spans[x], view.spans[y]];
      return b.end - b.start - (a.end - a.start) || a.start - b.start || x - y;
    });
    const cats = [...new Set(order.map((i) => view.spans[i].category))];
    const backs = cats.map((c) => (COLOURS[c] || CATEGORIES[0]).background);
    const step = 100 / backs.length;
    const background =
      backs.length === 1
        ? backs[0]
        : `linear-gradient(180deg,${backs.map((c, k) => `${c} ${k * step}% ${(k + 1) * step}%`)})`;
    const inner = view.spans[order[order.length - 1]];
    // important: a page's style sheet cannot override them (background.js's rules use them)
    mark.style.setProperty("--propscope-bg", background, "important");
    mark.style.setProperty(
      "--propscope-bd",
      (COLOURS[inner.category] || CATEGORIES[0]).border,
      "important",
    );
    mark.dataset.voice = inner.voice;
  }

  function unhighlight() {
    if (!view) return;
    const shown = view;
    view = null;
    undo(shown);
  }

  // --- the panel ---------------------------------------------------------------------------

  const PANEL_CSS = `
    :host { all: initial !important; }
    .panel { position: fixed; top: 0; right: 0; z-index: 2147483647; box-sizing: border-box;
      width: 380px; max-width: 100vw; height: 100vh; display: flex; flex-direction: column;
      background: #fff; color: #1f2328; border-left: 1px solid #d8dee4;
      box-shadow: -6px 0 24px rgba(31, 35, 40, 0.15);
      font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    .panel.collapsed { height: auto; width: auto; }
    .panel.collapsed .body { display: none; }
    header { display: flex; align-items: center; gap: 6px; padding: 10px 12px;
      border-bottom: 1px solid #d8dee4; background: #f6f7f9; }
    header h2 { flex: 1; margin: 0; font-size: 15px; font-weight: 700; }
    header button { border: 1px solid #c4cbd3; background: #fff; border-radius: 6px;
      cursor: pointer; font: inherit; padding: 1px 8px; color: #1f2328; }
    header button:hover { background: #f0f2f5; }
    .body { overflow: auto; padding: 10px 12px 24px; flex: 1; }
    .status { margin: 0 0 10px; }
    .status.error { border-left: 4px solid #B3261E; background: #fdf0ef; padding: 8px 10px;
      border-radius: 4px; }
    .status strong { display: block; margin-bottom: 2px; }
    .status.empty { border-left: 4px solid #1E7342; background: #eef8f1; padding: 8px 10px;
      border-radius: 4px; }
    .status code { font-size: 12px; background: #eef0f3; padding: 0 3px; border-radius: 3px;
      word-break: break-all; }
    .meta { color: #57606a; font-size: 12px; margin: 0 0 8px; }
    .legend { display: flex; flex-direction: column; gap: 2px; margin: 0 0 10px;
      padding: 6px 0; border-top: 1px solid #eef0f3; border-bottom: 1px solid #eef0f3; }
    .legend label { display: flex; align-items: center; gap: 8px; cursor: pointer;
      padding: 2px 4px; border-radius: 4px; }
    .legend label:hover { background: #f0f2f5; }
    .legend .swatch { width: 14px; height: 14px; border-radius: 3px; flex: none;
      border-bottom: 3px solid; box-sizing: border-box; }
    .legend .name { flex: 1; }
    .legend .count { color: #57606a; font-variant-numeric: tabular-nums; }
    ol { list-style: none; margin: 0; padding: 0; }
    li { margin: 0 0 6px; }
    li.off { display: none; }
    li button { all: unset; box-sizing: border-box; display: block; width: 100%;
      cursor: pointer; padding: 6px 8px; border-radius: 6px; border: 1px solid #eef0f3;
      border-left: 4px solid var(--bd); }
    li button:hover, li button:focus-visible { background: #f7f9fc; outline: 2px solid #0b57d0; }
    .top { display: flex; gap: 6px; align-items: baseline; }
    .num { color: #57606a; font-variant-numeric: tabular-nums; }
    .tech { font-weight: 600; flex: 1; }
    .conf { color: #57606a; font-variant-numeric: tabular-nums; }
    .sub { color: #57606a; font-size: 12px; }
    .words { font-family: Georgia, serif; color: #3d444d; margin: 3px 0; }
    .why { font-size: 12.5px; color: #3d444d; }
    .none-shown { color: #57606a; font-style: italic; }
    .notice { margin: 0 0 10px; padding: 6px 10px; border-left: 4px solid #9A6700;
      background: #fff8e6; border-radius: 4px; }
    li.absent .words { text-decoration: line-through; color: #8c959f; }
  `;

  /** `handler` for events the user made (a real click or key), never a script's click(). */
  function trusted(handler) {
    return (event) => {
      if (event.isTrusted) handler(event);
    };
  }

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), trusted(v));
      else node.setAttribute(k, v);
    }
    for (const c of children) if (c != null) node.append(c);
    return node;
  }

  function ensurePanel() {
    if (panel && panel.host.isConnected) return panel;
    HOST = freeName(BASE.host);
    const host = document.createElement(HOST);
    // Closed: the page's scripts get null for host.shadowRoot, so they can neither read the
    // panel (its meta line names the server) nor reach its buttons.
    const root = host.attachShadow({ mode: "closed" });
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(PANEL_CSS); // constructed sheets are not subject to the page's CSP
      root.adoptedStyleSheets = [sheet];
    } catch {
      root.append(el("style", {}, PANEL_CSS)); // where a content script cannot adopt sheets
    }
    const body = el("div", { class: "body" });
    const box = el(
      "section",
      { class: "panel", role: "complementary", "aria-label": "propscope findings" },
      el(
        "header",
        {},
        el("h2", {}, "propscope"),
        el("button", { class: "again", title: "Analyse again", onclick: requestAnalysis }, "↻"),
        el("button", { class: "fold", title: "Fold the panel", onclick: fold }, "–"),
        el("button", { class: "close", title: "Close and remove highlights", onclick: close }, "×"),
      ),
      body,
    );
    root.append(box);
    document.documentElement.append(host);
    panel = { host, root, box, body };
    return panel;
  }

  function fold() {
    panel.box.classList.toggle("collapsed");
  }

  function close() {
    unhighlight();
    if (panel) panel.host.remove();
    panel = null;
  }

  /** ↻: ask the service worker to analyse again. It does so only for a tab where the user
      clicked the toolbar button on this page, one run at a time, within a limit of repeats. */
  function requestAnalysis(event) {
    chrome.runtime.sendMessage({ type: "propscope:analyse", trusted: event.isTrusted }, (answer) => {
      if (chrome.runtime.lastError || !answer || answer.state !== "refused" || !answer.message) return;
      if (!panel) return;
      let note = panel.root.querySelector(".notice");
      if (!note) {
        note = el("p", { class: "notice", role: "status" });
        panel.body.prepend(note);
      }
      note.textContent = answer.message;
    });
  }

  function showStatus(state, title, detail) {
    const { body } = ensurePanel();
    panel.box.dataset.state = state;
    body.replaceChildren();
    const status = el("div", { class: `status ${state}`, role: "status" });
    if (title) status.append(el("strong", {}, title));
    if (detail) for (const part of [].concat(detail)) status.append(part);
    body.append(status);
    return status;
  }

  /** Turns `code` spans of a server message into <code> elements (no HTML parsing). */
  function withCode(message) {
    return message.split("`").map((part, i) => (i % 2 ? el("code", {}, part) : part));
  }

  function percent(x) {
    return `${Math.round(x * 100)}%`;
  }

  function voiceText(span) {
    if (span.voice === "author") return "the author";
    const how = span.voice === "quoted" ? "quoted" : "reported";
    return `${how}: ${span.speaker || "unnamed speaker"}`;
  }

  function renderFindings(meta, mismatched = 0) {
    const { body } = ensurePanel();
    panel.box.dataset.state = view.spans.length ? "findings" : "empty";
    body.replaceChildren();
    const n = view.spans.length;
    if (!n) {
      body.append(
        el(
          "div",
          { class: "status empty", role: "status" },
          el("strong", {}, "Nothing found"),
          "The model found no persuasion techniques in this article above its threshold.",
        ),
      );
    } else {
      body.append(
        el("p", { class: "status", role: "status" }, `${n} finding${n === 1 ? "" : "s"} in this article`),
      );
    }
    if (mismatched) {
      body.append(
        el(
          "p",
          { class: "notice", role: "status", "data-kind": "page-changed" },
          `${mismatched} of ${n} finding${n === 1 ? "" : "s"} could not be highlighted: the ` +
            "page changed its text while it was being analysed. ↻ analyses it again.",
        ),
      );
    }
    body.append(el("p", { class: "meta" }, meta));
    if (!n) return;
    const counts = {};
    for (const s of view.spans) counts[s.category] = (counts[s.category] || 0) + 1;
    const legend = el("fieldset", { class: "legend", "aria-label": "Categories" });
    legend.style.border = "none";
    for (const cat of CATEGORIES) {
      const box = el("input", { type: "checkbox", "data-category": cat.name });
      box.checked = view.enabled.has(cat.name);
      box.addEventListener(
        "change",
        trusted(() => setCategory(cat.name, box.checked)),
      );
      const swatch = el("span", { class: "swatch" });
      swatch.style.background = cat.background;
      swatch.style.borderBottomColor = cat.border;
      legend.append(
        el(
          "label",
          {},
          box,
          swatch,
          el("span", { class: "name" }, cat.name),
          el("span", { class: "count" }, String(counts[cat.name] || 0)),
        ),
      );
    }
    body.append(legend);
    const list = el("ol", { class: "findings" });
    view.spans.forEach((span, i) => {
      const item = el(
        "li",
        { "data-span": String(i), "data-category": span.category },
        el(
          "button",
          { type: "button", onclick: () => jump(i), title: "Show in the page" },
          el(
            "div",
            { class: "top" },
            el("span", { class: "num" }, `${i + 1}.`),
            el("span", { class: "tech" }, span.technique_label),
            el("span", { class: "conf", title: "confidence" }, percent(span.confidence)),
          ),
          el("div", { class: "sub" }, `${span.category} · ${voiceText(span)}`),
          el("div", { class: "words" }, `“${span.text}”`),
          el("div", { class: "why" }, span.explanation),
        ),
      );
      item.firstChild.style.setProperty("--bd", (COLOURS[span.category] || CATEGORIES[0]).border);
      if (!view.present[i]) {
        item.classList.add("absent");
        item.firstChild.title = "Not highlighted: the page changed this text";
      }
      list.append(item);
    });
    body.append(list);
    const none = el("p", { class: "none-shown" }, "All findings are hidden by the filters.");
    none.hidden = true;
    body.append(none);
  }

  function setCategory(name, on) {
    if (on) view.enabled.add(name);
    else view.enabled.delete(name);
    for (const mark of view.marks) restyle(mark);
    const items = [...panel.root.querySelectorAll("li[data-span]")];
    for (const li of items) li.classList.toggle("off", !view.enabled.has(li.dataset.category));
    panel.root.querySelector(".none-shown").hidden = items.some((li) => !li.classList.contains("off"));
  }

  function jump(i) {
    const covering = view.marks.filter(
      (m) => m.isConnected && m.dataset.spans.split(" ").includes(String(i)),
    );
    if (!covering.length) return;
    covering[0].scrollIntoView({ block: "center", behavior: "smooth" });
    for (const m of view.marks) m.classList.remove("flash");
    for (const m of covering) m.classList.add("flash");
    setTimeout(() => covering.forEach((m) => m.classList.remove("flash")), 1600);
  }

  /** Words on the screen in boxes the page marks aria-hidden, while a modal dialog (a cookie
      or newsletter notice) is open: such a dialog hides the rest of the page so from
      assistive technology, and so from this reading. Without an open dialog (carousel
      clones, a decorative block) the count is 0, and a short page is "not an article". */
  function coveredWords() {
    const modal = document.querySelector("dialog[open]") ||
      Array.from(
        document.querySelectorAll('[aria-modal="true"], [role="dialog"], [role="alertdialog"]'),
      ).some((el) => el.checkVisibility());
    if (!modal) return 0;
    let n = 0;
    for (const el of document.querySelectorAll('[aria-hidden="true"]')) {
      if (el.parentElement && el.parentElement.closest('[aria-hidden="true"]')) continue;
      if (!el.checkVisibility()) continue;
      n += (el.innerText.match(/\S+/g) || []).length;
    }
    return n;
  }

  // --- the interface background.js calls ------------------------------------------------------

  globalThis.__propscope = {
    /** The names of the extension's elements in this page, for background.js's styles. */
    names: chooseNames,

    /** Clear any earlier run, show "Analysing…", and return the page's main text. */
    begin() {
      unhighlight();
      showStatus("loading", "Analysing…", "Sending the article's text to your propscope server.");
      pageChars = document.body ? document.body.textContent.length : 0;
      skipMemo = new Map();
      slotMemo = new Map();
      textMemo = new Map();
      let read;
      let title;
      try {
        bylines = findBylines();
        read = readArticle();
        const headline = read.headline || read.root.querySelector("h1");
        title = headline ? headline.textContent.trim().replace(/\s+/g, " ") : pageTitle();
      } finally {
        skipMemo = new Map(); // the page may change before the next reading
        slotMemo = new Map();
        textMemo = new Map();
        bylines = new Set();
      }
      globalThis.__propscope.read = read;
      const words = (read.text.match(/\S+/g) || []).length;
      const covered = words < MIN_WORDS ? coveredWords() : 0;
      return {
        text: read.text,
        words,
        minWords: MIN_WORDS,
        covered,
        title: wellFormed(title),
        host: location.hostname,
        url: location.href.split("#", 1)[0],
      };
    },

    /** Highlight the findings of an analysis of the text begin() returned; the counts. */
    show(analysis, meta) {
      const read = globalThis.__propscope.read;
      unhighlight();
      if (!read) throw new Error("the page was not read first; analyse it again");
      const spans = inUnits(read.text, analysis.spans);
      // A finding is marked only where the page still shows its text as it was read.
      const present = spans.map(
        (s) => read.text.slice(s.start, s.end) === s.text && stillThere(read, s),
      );
      const mismatched = present.filter((p) => !p).length;
      // the page may have defined an element of these names since names() was asked
      if ([MARK, RUN].some((name) => document.createElement(name).matches(":defined"))) {
        chooseNames();
      }
      const done = highlight(read, spans, present);
      watch(done);
      const { marks } = done;
      view = {
        ...read,
        ...done,
        spans,
        present,
        enabled: new Set(CATEGORIES.map((c) => c.name)),
      };
      for (const mark of marks) restyle(mark);
      renderFindings(meta, mismatched);
      return {
        spans: spans.length,
        marks: marks.length,
        mismatched,
        names: { mark: MARK, host: HOST, run: RUN },
      };
    },

    /** The error state: a title, and a detail with `code` parts. */
    error(kind, title, detail) {
      unhighlight();
      const status = showStatus("error", title, withCode(detail));
      status.dataset.kind = kind;
      return kind;
    },

    close,
  };
})();
