// Label the places that fit, most important first, and leave the rest unnamed
// until a zoom makes room: run when the map opens, after every zoom or pan,
// and when a key entry is clicked. A Bokeh CustomJS body: `plot`, `renderers`
// (the label glyphs, whose sources hold x, y, label, priority), `width`,
// `height` (the map's size in CSS pixels) and `fonts` (one {font, size, dot}
// per renderer; `ring` ones hold a ring's radius at several spots along it, of which
// one per `group` is written, rotated along the ring) and `leaders` (a source of segments x0, y0, x1, y1) are given.
// A place the map is about (priority below 2000: sites, highlighted places,
// capitals too close) that finds no room beside its marker is set farther out
// with a leader line; a launch site (priority below 0) is always named.
const xr = plot.x_range;
const yr = plot.y_range;
const sx = width / (xr.end - xr.start);
const sy = height / (yr.end - yr.start);
globalThis.rangevizMeasure ??= document.createElement("canvas").getContext("2d");
const ctx = globalThis.rangevizMeasure;
const dots = [];
const named = [];
const hits = (b, boxes) => boxes.some((o) => b[0] < o[2] && b[2] > o[0] && b[1] < o[3] && b[3] > o[1]);
const inside = (b) => b[0] >= 0 && b[1] >= 0 && b[2] <= width && b[3] <= height;

// every visible marker is an obstacle; every visible label a candidate
const wanted = [];
const out = renderers.map((r) => {
  const n = r.data_source.data.x.length;
  return {
    shown: new Array(n).fill(""),
    dx: new Array(n).fill(0),
    dy: new Array(n).fill(0),
    align: new Array(n).fill("left"),
  };
});
renderers.forEach((r, k) => {
  if (!r.visible) return;
  const d = r.data_source.data;
  const half = fonts[k].dot;
  for (let i = 0; i < d.x.length; i++) {
    const px = (d.x[i] - xr.start) * sx;
    const py = (yr.end - d.y[i]) * sy;
    if (px < 0 || px > width || py < 0 || py > height) continue;
    if (half > 0) dots.push([px - half, py - half, px + half, py + half]);
    if (d.label[i]) wanted.push({ k, i, px, py, text: d.label[i], prio: d.priority[i] });
  }
});
wanted.sort((a, b) => a.prio - b.prio);
const lines = { x0: [], y0: [], x1: [], y1: [] };

const groups = new Set();
for (const w of wanted) {
  const f = fonts[w.k];
  ctx.font = f.font;
  const tw = ctx.measureText(w.text).width;
  const th = f.size * 1.15;
  if (f.ring) {
    // along the ring, centred on it: the box round the rotated text
    const group = `${w.k}:${renderers[w.k].data_source.data.group[w.i]}`;
    if (groups.has(group)) continue;
    const a = renderers[w.k].data_source.data.angle[w.i];
    const bw = tw * Math.abs(Math.cos(a)) + th * Math.abs(Math.sin(a));
    const bh = tw * Math.abs(Math.sin(a)) + th * Math.abs(Math.cos(a));
    const box = [w.px - bw / 2, w.py - bh / 2, w.px + bw / 2, w.py + bh / 2];
    if (!inside(box) || hits(box, named) || hits(box, dots)) continue;
    groups.add(group);
    named.push(box);
    out[w.k].shown[w.i] = w.text;
    out[w.k].align[w.i] = "center";
    continue;
  }
  const gap = f.dot + 3;
  // right, left, above, below, then the diagonals
  const spots = [
    [gap, 0, "left"],
    [-gap, 0, "right"],
    [0, -(gap + th / 2), "center"],
    [0, gap + th / 2, "center"],
    [gap * 0.7, -(gap * 0.7 + th / 2), "left"],
    [-gap * 0.7, -(gap * 0.7 + th / 2), "right"],
    [gap * 0.7, gap * 0.7 + th / 2, "left"],
    [-gap * 0.7, gap * 0.7 + th / 2, "right"],
  ];
  const boxes = spots.map(([dx, dy, align]) => {
    const x0 = align === "left" ? w.px + dx : align === "right" ? w.px + dx - tw : w.px - tw / 2;
    return [x0 - 1, w.py + dy - th / 2, x0 + tw + 1, w.py + dy + th / 2];
  });
  if (w.prio < 2000) {
    // farther out, with a leader: up and down first, then the diagonals and the sides
    for (const reach of [2.2, 3.6]) {
      const r = gap * reach + th / 2;
      for (const [ux, uy] of [[0, -1], [0, 1], [1, -1], [-1, -1], [1, 1], [-1, 1], [1, 0], [-1, 0]]) {
        const align = ux > 0 ? "left" : ux < 0 ? "right" : "center";
        const dx = ux * r * (uy === 0 ? 1 : 0.75);
        const dy = uy * r;
        const x0 = align === "left" ? w.px + dx : align === "right" ? w.px + dx - tw : w.px - tw / 2;
        spots.push([dx, dy, align, true]);
        boxes.push([x0 - 1, w.py + dy - th / 2, x0 + tw + 1, w.py + dy + th / 2]);
      }
    }
  }
  let k = boxes.findIndex((b) => inside(b) && !hits(b, named) && !hits(b, dots));
  if (k < 0 && w.prio < 0) k = boxes.findIndex((b) => !hits(b, named));
  if (k < 0) continue;
  const b = boxes[k];
  named.push(b);
  const o = out[w.k];
  [o.dx[w.i], o.dy[w.i], o.align[w.i]] = spots[k];
  o.shown[w.i] = w.text;
  if (spots[k][3]) {
    // from the marker's edge to the nearest point of the label's box
    const ex = Math.min(Math.max(w.px, b[0]), b[2]);
    const ey = Math.min(Math.max(w.py, b[1]), b[3]);
    const len = Math.hypot(ex - w.px, ey - w.py);
    const sx0 = w.px + ((ex - w.px) * f.dot) / len;
    const sy0 = w.py + ((ey - w.py) * f.dot) / len;
    lines.x0.push(xr.start + sx0 / sx);
    lines.y0.push(yr.end - sy0 / sy);
    lines.x1.push(xr.start + ex / sx);
    lines.y1.push(yr.end - ey / sy);
  }
}
leaders.data = lines;
renderers.forEach((r, k) => {
  r.data_source.data = { ...r.data_source.data, ...out[k] };
});
