/* propscope HTML report: details card, filters and the findings table. No dependencies. */
(function () {
  "use strict";

  var card = document.getElementById("pc-card");
  var cardBody = card.querySelector(".pop-body");
  var closeButton = card.querySelector(".pop-close");
  var narrow = window.matchMedia("(max-width: 759px)");
  var canHover = window.matchMedia("(hover: hover)");
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  var articles = {};
  var state = { seg: null, pinned: false, keyboard: false, hideTimer: 0, quiet: false };

  document.querySelectorAll("[data-article]").forEach(function (section) {
    var prefix = section.getAttribute("data-article");
    var data = JSON.parse(document.getElementById(prefix + "-data").textContent);
    articles[prefix] = {
      prefix: prefix,
      section: section,
      spans: data.spans,
      // findings keep their whole-article numbers in a filtered view: "Finding 24 of 51"
      total: data.article_total || data.spans.length,
      active: data.spans.map(function () { return true; })
    };
  });

  function articleOf(node) {
    var section = node.closest("[data-article]");
    return section ? articles[section.getAttribute("data-article")] : null;
  }

  function ids(seg, attribute) {
    var value = seg.getAttribute(attribute);
    return value ? value.split(" ").map(Number) : [];
  }

  function activeIds(art, seg, attribute) {
    return ids(seg, attribute).filter(function (i) { return art.active[i]; });
  }

  function length(span) { return span.end - span.start; }

  /* Mirrors _mark_look in html.py: bands of category colours, underline of the innermost
     span (style by voice), tag with the numbers and speakers of the spans ending here. */
  function restyle(art, seg) {
    var on = activeIds(art, seg, "data-spans");
    var first = activeIds(art, seg, "data-first");
    if (!on.length) {
      seg.classList.add("off");
      seg.removeAttribute("data-tag");
      seg.removeAttribute("tabindex");
      seg.removeAttribute("role");
      seg.removeAttribute("aria-describedby");
      return;
    }
    var order = on.slice().sort(function (a, b) {
      var sa = art.spans[a], sb = art.spans[b];
      return length(sb) - length(sa) || sa.start - sb.start || a - b;
    });
    var backgrounds = [];
    order.forEach(function (i) {
      var bg = art.spans[i].bg;
      if (backgrounds.indexOf(bg) < 0) { backgrounds.push(bg); }
    });
    var background = backgrounds[0];
    if (backgrounds.length > 1) {
      var step = 100 / backgrounds.length;
      background = "linear-gradient(180deg," + backgrounds.map(function (c, k) {
        return c + " " + (k * step) + "% " + ((k + 1) * step) + "%";
      }).join(",") + ")";
    }
    var inner = art.spans[order[order.length - 1]];
    seg.className = seg.className.replace(/\b(off|deep|v-\w+)\b/g, "").trim() +
      " v-" + inner.voice + (order.length > 1 ? " deep" : "");
    seg.style.setProperty("--bg", background);
    seg.style.setProperty("--bd", inner.bd);
    var ending = activeIds(art, seg, "data-ends").sort(function (a, b) { return a - b; });
    if (ending.length) {
      var speakers = [];
      ending.forEach(function (i) {
        var span = art.spans[i];
        var name = span.voice === "author" ? null : (span.speaker || "quote");
        if (name && speakers.indexOf(name) < 0) { speakers.push(name); }
      });
      var numbers = ending.map(function (i) { return art.spans[i].n; }).join(",");
      seg.setAttribute("data-tag", numbers + (speakers.length ? " · " + speakers.join(", ") : ""));
    } else {
      seg.removeAttribute("data-tag");
    }
    if (first.length) {
      seg.setAttribute("tabindex", "0");
      seg.setAttribute("role", "button");
      seg.setAttribute("aria-describedby", first.map(function (i) {
        return art.prefix + "-d" + i;
      }).join(" "));
    } else {
      seg.removeAttribute("tabindex");
      seg.removeAttribute("role");
      seg.removeAttribute("aria-describedby");
    }
  }

  function applyFilters(art) {
    var section = art.section;
    var cats = [], voices = [];
    section.querySelectorAll("input[data-filter-cat]").forEach(function (box) {
      if (box.checked) { cats.push(Number(box.value)); }
    });
    section.querySelectorAll("input[data-filter-voice]").forEach(function (box) {
      if (box.checked) { voices.push(box.value); }
    });
    var shown = 0;
    art.active = art.spans.map(function (span) {
      var on = cats.indexOf(span.cat) >= 0 &&
        voices.indexOf(span.voice === "author" ? "author" : "other") >= 0;
      if (on) { shown += 1; }
      return on;
    });
    section.querySelectorAll(".doc mark.hl").forEach(function (seg) { restyle(art, seg); });
    section.querySelectorAll("tr[data-span]").forEach(function (row) {
      row.hidden = !art.active[Number(row.getAttribute("data-span"))];
    });
    var status = section.querySelector("[data-status]");
    if (status) {
      var total = art.spans.length;
      status.textContent = shown === total
        ? "Showing all " + total + " finding" + (total === 1 ? "" : "s") + "."
        : "Showing " + shown + " of " + total + " findings.";
    }
    if (state.seg && art.section.contains(state.seg)) { hide(false); }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function describe(span, total) {
    var item = element("section", "pop-item");
    item.style.setProperty("--bd", span.bd);
    var cat = element("p", "pop-cat");
    var swatch = element("span", "swatch");
    swatch.style.setProperty("--bg", span.bg);
    swatch.style.setProperty("--bd", span.bd);
    swatch.setAttribute("aria-hidden", "true");
    cat.appendChild(swatch);
    cat.appendChild(document.createTextNode(span.category));
    item.appendChild(cat);
    item.appendChild(element("h4", null, span.label));
    var who = element("p", "pop-who", "Who says it: ");
    who.appendChild(element("strong", null, span.who));
    item.appendChild(who);
    item.appendChild(element("p", "pop-words", span.words)); /* in “ ” unless quoted already */
    if (span.explanation) { item.appendChild(element("p", null, span.explanation)); }
    if (span.definition) {
      var definition = element("p", "pop-def");
      definition.appendChild(element("strong", null, "Definition: "));
      definition.appendChild(document.createTextNode(span.definition));
      item.appendChild(definition);
    }
    /* The confidence is calibrated (the estimated chance that the finding is right), not
       the product of the two raw model scores shown after it. Under 50% the finding is
       more likely wrong than right and reads as a possible one (report/labels.py). */
    var conf = element("p", "pop-conf");
    conf.appendChild(element("strong", null, span.confidence));
    conf.appendChild(document.createTextNode(
      " confidence: the estimated chance that these words really use this technique" +
      " (calibrated on held-out articles)"));
    if (span.tentative) {
      conf.appendChild(document.createTextNode(". "));
      conf.appendChild(element("span", "tentative", "Possible finding"));
      conf.appendChild(document.createTextNode(": more likely wrong than right"));
    }
    conf.appendChild(document.createTextNode("."));
    var meter = element("span", "meter");
    meter.setAttribute("aria-hidden", "true");
    var fill = element("span");
    fill.style.width = span.confidence.replace(/[<>%]/g, "") + "%";
    meter.appendChild(fill);
    conf.appendChild(meter);
    item.appendChild(conf);
    item.appendChild(element("p", "pop-def", "Raw model scores: detection " + span.detection +
      ", technique " + span.technique_probability + "."));
    if (span.alternatives.length) {
      item.appendChild(element("p", "pop-def", "Other possible techniques: " +
        span.alternatives.map(function (a) { return a[0] + " " + a[1]; }).join(" \u00b7 ")));
    }
    item.appendChild(element("p", "pop-def", "Finding " + span.n + " of " + total + "."));
    return item;
  }

  function place(seg) {
    if (narrow.matches) { card.style.left = ""; card.style.top = ""; return; }
    var rects = seg.getClientRects();
    var r = rects.length ? rects[0] : seg.getBoundingClientRect();
    var width = card.offsetWidth, height = card.offsetHeight;
    var viewWidth = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(r.left, viewWidth - width - 8));
    var top = r.bottom + 8;
    if (top + height > window.innerHeight - 8 && r.top - height - 8 > 8) {
      top = r.top - height - 8;
    }
    card.style.left = (left + window.scrollX) + "px";
    card.style.top = (top + window.scrollY) + "px";
  }

  function show(seg, pinned, keyboard) {
    var art = articleOf(seg);
    if (!art) { return; }
    var on = activeIds(art, seg, "data-spans");
    if (!on.length) { return; }
    var first = activeIds(art, seg, "data-first");
    on.sort(function (a, b) {
      var fa = first.indexOf(a) >= 0 ? 0 : 1, fb = first.indexOf(b) >= 0 ? 0 : 1;
      return fa - fb || length(art.spans[a]) - length(art.spans[b]) || a - b;
    });
    clearTimeout(state.hideTimer);
    if (state.seg && state.seg !== seg) { release(state.seg); }
    cardBody.textContent = "";
    on.forEach(function (i) { cardBody.appendChild(describe(art.spans[i], art.total)); });
    state.seg = seg;
    state.pinned = pinned;
    state.keyboard = keyboard;
    seg.classList.add("active");
    if (pinned && seg.hasAttribute("role")) { seg.setAttribute("aria-expanded", "true"); }
    card.hidden = false;
    place(seg);
    if (keyboard) { card.focus({ preventScroll: true }); }
  }

  function release(seg) {
    seg.classList.remove("active");
    if (seg.hasAttribute("aria-expanded")) { seg.setAttribute("aria-expanded", "false"); }
  }

  function hide(returnFocus) {
    clearTimeout(state.hideTimer);
    var seg = state.seg;
    card.hidden = true;
    state.seg = null;
    state.pinned = false;
    if (seg) {
      release(seg);
      if (returnFocus && seg.hasAttribute("tabindex")) { focusQuietly(seg); }
    }
  }

  /* Move focus without the focus preview of the details card. */
  function focusQuietly(seg) {
    state.quiet = true;
    seg.focus({ preventScroll: true });
    state.quiet = false;
  }

  function hideSoon() {
    clearTimeout(state.hideTimer);
    state.hideTimer = setTimeout(function () { if (!state.pinned) { hide(false); } }, 250);
  }

  function segmentOf(target) {
    var seg = target && target.closest ? target.closest(".doc mark.hl") : null;
    return seg && !seg.classList.contains("off") ? seg : null;
  }

  document.addEventListener("mouseover", function (event) {
    if (!canHover.matches || state.pinned) { return; }
    var seg = segmentOf(event.target);
    if (seg && seg !== state.seg) { show(seg, false, false); }
    else if (seg) { clearTimeout(state.hideTimer); }
    else if (card.contains(event.target)) { clearTimeout(state.hideTimer); }
  });
  document.addEventListener("mouseout", function (event) {
    if (!canHover.matches || state.pinned || !state.seg) { return; }
    var to = event.relatedTarget;
    if (to && (card.contains(to) || segmentOf(to) === state.seg)) { return; }
    if (segmentOf(event.target) || card.contains(event.target)) { hideSoon(); }
  });

  document.addEventListener("click", function (event) {
    var seg = segmentOf(event.target);
    if (seg) {
      if (state.pinned && state.seg === seg) { hide(false); } else { show(seg, true, false); }
      return;
    }
    if (card.contains(event.target)) { return; }
    var row = event.target.closest("tr[data-span]");
    if (row) { goTo(row); return; }
    if (state.pinned) { hide(false); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Tab" && state.keyboard && !card.hidden && card.contains(event.target)) {
      var leaving = event.shiftKey ? event.target === card : event.target === closeButton;
      if (leaving) { event.preventDefault(); hide(true); }
      return;
    }
    if (event.key === "Escape" && !card.hidden) {
      event.preventDefault();
      hide(true);
      return;
    }
    var seg = segmentOf(event.target);
    if (seg && (event.key === "Enter" || event.key === " " || event.key === "Spacebar")) {
      event.preventDefault();
      show(seg, true, true);
    }
  });

  document.addEventListener("focusin", function (event) {
    if (state.quiet) { return; }
    var seg = segmentOf(event.target);
    if (seg && !(state.pinned && state.seg === seg)) { show(seg, false, false); return; }
    if (!seg && !card.contains(event.target) && state.seg && !state.pinned) { hide(false); }
  });

  closeButton.addEventListener("click", function () { hide(true); });

  function goTo(row) {
    var art = articleOf(row);
    var i = row.getAttribute("data-span");
    var segs = art.section.querySelectorAll('.doc mark.hl[data-spans~="' + i + '"]');
    if (!segs.length) { return; }
    segs[0].scrollIntoView({ behavior: reduceMotion.matches ? "auto" : "smooth", block: "center" });
    segs.forEach(function (seg) {
      seg.classList.remove("flash");
      void seg.offsetWidth; /* restart the animation */
      seg.classList.add("flash");
      setTimeout(function () { seg.classList.remove("flash"); }, 1700);
    });
    var focusable = Array.prototype.filter.call(segs, function (seg) {
      return seg.hasAttribute("tabindex");
    });
    if (state.seg) { hide(false); }
    if (focusable.length) { focusQuietly(focusable[0]); }
  }

  Object.keys(articles).forEach(function (prefix) {
    var art = articles[prefix];
    art.section.querySelectorAll("input[data-filter-cat], input[data-filter-voice]")
      .forEach(function (box) {
        box.addEventListener("change", function () { applyFilters(art); });
      });
  });

  window.addEventListener("resize", function () { if (state.seg) { place(state.seg); } });
})();
