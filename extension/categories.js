// The six technique categories with the colours of propscope's reports (taxonomy.py:
// CATEGORY_COLOURS, CATEGORY_BORDER, HIGHLIGHT_TEXT_COLOUR); a test keeps them equal.
// Loaded by the service worker (importScripts) and injected before content.js.
globalThis.PROPSCOPE_CATEGORIES = [
  { name: "Attack on reputation", background: "#F8C4C4", border: "#B3261E" },
  { name: "Justification", background: "#B8DDF8", border: "#1F5FA8" },
  { name: "Simplification", background: "#FFD6AD", border: "#A3520A" },
  { name: "Distraction", background: "#E2C6F2", border: "#6B3FA0" },
  { name: "Call", background: "#BFE6CC", border: "#1E7342" },
  { name: "Manipulative wording", background: "#FFF0A0", border: "#8A6D00" },
];
globalThis.PROPSCOPE_TEXT_COLOUR = "#1A1A1A";
