// One tooltip for the whole map: the place under the pointer if there is one
// (the nearest, if several), else every band under it. A Bokeh HoverTool
// callback, called once per renderer for each pointer move; `places` (dot and
// marker renderers) and `bands` (band fill renderers) are given. Text goes in
// with textContent, never as HTML: names and sources are the user's.
const state = (globalThis.rangevizTip ??= { key: null, hits: new Map(), x: 0, y: 0 });
if (!state.el) {
  state.el = document.createElement("div");
  state.el.id = "rangeviz-tip";
  state.el.setAttribute("role", "tooltip");
  Object.assign(state.el.style, {
    position: "fixed", display: "none", pointerEvents: "none", zIndex: 1000,
    maxWidth: "330px", padding: "6px 9px", background: "rgba(255, 255, 255, 0.96)",
    border: "1px solid #8aa3b3", borderRadius: "4px", boxShadow: "0 1px 4px rgba(0, 0, 0, 0.2)",
    font: "12.5px/1.4 Helvetica, Arial, sans-serif", color: "#1f1f1f",
  });
  document.body.appendChild(state.el);
  document.addEventListener("mousemove", (ev) => { state.x = ev.clientX; state.y = ev.clientY; }, true);
}
const g = cb_data.geometry;
const key = `${g.sx},${g.sy}`;
if (state.key !== key) {
  state.key = key;
  state.hits = new Map();
}
const hit = cb_data.renderer.visible ? [...cb_data.index.indices] : [];
state.hits.set(cb_data.renderer.id, hit);

const lines = [];  // [text, bold, italic]
let best = null;
for (const r of places) {
  for (const i of state.hits.get(r.id) ?? []) {
    const d = r.data_source.data;
    const dist = Math.hypot(d.x[i] - g.x, d.y[i] - g.y);
    if (best == null || dist < best.dist) best = { d, i, dist };
  }
}
if (best != null) {
  const { d, i } = best;
  lines.push([d.name[i], true, false]);
  if (d.status[i] >= 0) {
    lines.push([d.country[i], false, false], [d.distance[i], false, false]);
    lines.push([d.status_text[i], false, true]);
  } else {
    lines.push([d.distance[i], false, false], [d.kind[i], false, false]);
  }
} else {
  for (const r of bands) {
    for (const i of state.hits.get(r.id) ?? []) {
      const d = r.data_source.data;
      if (lines.length) lines.push(["", false, false]);
      lines.push([d.label[i], true, false]);
      lines.push([`System: ${d.system[i]}`, false, false], [`Range: ${d.range_text[i]}`, false, false]);
      lines.push([`Claimant: ${d.claimant[i]}`, false, false], [`Source: ${d.source[i]}`, false, false]);
      lines.push([`Around: ${d.sites[i]}`, false, false]);
    }
  }
}
const el = state.el;
if (!lines.length || !isFinite(g.sx + g.sy)) {
  el.style.display = "none";
} else {
  el.replaceChildren(...lines.map(([text, bold, italic]) => {
    const div = document.createElement("div");
    div.textContent = text || "\u00a0";
    if (bold) div.style.fontWeight = "bold";
    if (italic) div.style.fontStyle = "italic";
    return div;
  }));
  el.style.display = "block";
  // beside the pointer, kept on screen
  const w = el.offsetWidth;
  const h = el.offsetHeight;
  const left = state.x + 14 + w > window.innerWidth ? state.x - 14 - w : state.x + 14;
  const top = Math.min(Math.max(4, state.y - h / 2), window.innerHeight - h - 4);
  el.style.left = `${Math.max(4, left)}px`;
  el.style.top = `${top}px`;
}
