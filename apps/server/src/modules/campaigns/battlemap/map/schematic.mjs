// Builds bazhou-townships.schematic.geojson: a SCHEMATIC (示意图) of Bazhou's townships, not a survey map.
// Each township is the Voronoi cell of its approximate centre inside a plain octagonal frame, so the cells
// keep the townships' relative positions (north/south/east/west of each other) and nothing more.
// Run: node apps/server/src/modules/campaigns/battlemap/map/schematic.mjs
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Approximate centres (longitude, latitude), from general knowledge of the area: ± several km. The city's
 * street, 霸州镇, 东杨庄乡 and the zone are pulled a little apart so that their cells are big enough to read.
 */
const CENTRES = [
  ['裕华街道', '131081001000', 116.405, 39.14],
  ['霸州镇', '131081100000', 116.335, 39.105],
  ['南孟镇', '131081101000', 116.39, 39.215],
  ['信安镇', '131081102000', 116.56, 39.0],
  ['堂二里镇', '131081103000', 116.2, 39.025],
  ['煎茶铺镇', '131081104000', 116.3, 39.06],
  ['胜芳镇', '131081105000', 116.69, 39.04],
  ['杨芬港镇', '131081106000', 116.65, 39.13],
  ['康仙庄镇', '131081107000', 116.475, 39.015],
  ['王庄子镇', '131081108000', 116.56, 39.2],
  ['岔河集乡', '131081200000', 116.24, 39.15],
  ['东杨庄乡', '131081202000', 116.485, 39.115],
  ['东段乡', '131081204000', 116.53, 39.165],
  ['霸州经济技术开发区', null, 116.43, 39.068],
];

/** The frame: an octagon around the centres (a plain shape, so that nobody mistakes it for the border). */
const [W, S, E, N, CUT] = [116.15, 38.96, 116.77, 39.26, 0.06];
const FRAME = [
  [W + CUT, S],
  [E - CUT, S],
  [E, S + CUT],
  [E, N - CUT],
  [E - CUT, N],
  [W + CUT, N],
  [W, N - CUT],
  [W, S + CUT],
];

/** Keeps the part of a convex polygon where (p - m)·d <= 0 (the side of the bisector nearer the site). */
function clip(poly, m, d) {
  const side = (p) => (p[0] - m[0]) * d[0] + (p[1] - m[1]) * d[1];
  const out = [];
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i];
    const b = poly[(i + 1) % poly.length];
    const sa = side(a);
    const sb = side(b);
    if (sa <= 0) out.push(a);
    if ((sa < 0 && sb > 0) || (sa > 0 && sb < 0)) {
      const t = sa / (sa - sb);
      out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
    }
  }
  return out;
}

const round = (v) => Math.round(v * 10000) / 10000;

const features = CENTRES.map(([name, code, x, y]) => {
  let cell = FRAME;
  for (const [other, , ox, oy] of CENTRES) {
    if (other === name) continue;
    cell = clip(cell, [(x + ox) / 2, (y + oy) / 2], [ox - x, oy - y]);
  }
  const ring = [...cell, cell[0]].map(([a, b]) => [round(a), round(b)]);
  return {
    type: 'Feature',
    properties: { name, code, cp: [x, y] },
    geometry: { type: 'Polygon', coordinates: [ring] },
  };
});

const collection = {
  type: 'FeatureCollection',
  schematic: true,
  source:
    'Schematic (示意图) made by schematic.mjs: Voronoi cells of approximate township centres in a plain frame; not surveyed boundaries',
  features,
};
const file = path.join(import.meta.dirname, 'bazhou-townships.schematic.geojson');
writeFileSync(file, `${JSON.stringify(collection)}\n`);
console.log(`wrote ${features.length} features to ${file}`);
