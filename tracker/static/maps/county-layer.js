/* All county shapes as one Leaflet canvas path (used by map.js).
 *
 * Leaflet's GeoJSON layer makes one Path object per county: 3,233 objects to create, project,
 * clip and draw one by one. This layer keeps every ring in typed arrays, projects them with
 * plain arithmetic, draws each colour as one Path2D built from an SVG path string, and finds the
 * county under the pointer with a bounding-box scan and a point-in-polygon test. It lives in
 * Leaflet's canvas renderer, so panning, zoom animation and pointer events work as for any path.
 */
(function () {
  "use strict";
  const R2D = 180 / Math.PI;
  const MAX_LATITUDE = 85.0511287798;
  const TENTHS = 10; // path coordinates are in tenths of a pixel

  function mercatorY(lat) {
    const clamped = Math.max(Math.min(MAX_LATITUDE, lat), -MAX_LATITUDE);
    const sin = Math.sin(clamped / R2D);
    return 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
  }

  window.TrackerCountyLayer = L.Path.extend({
    options: { interactive: true, weight: 0.5, fillRule: "evenodd" },

    initialize(collection, colourOf, options) {
      L.setOptions(this, options);
      this.colourOf = colourOf;
      this.ids = [];
      this.states = [];
      this.names = [];
      this.rings = []; // per county: list of [start, end) offsets into this.world
      const points = [];
      const bounds = [];
      for (const feature of collection.features) {
        const geometry = feature.geometry;
        const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
        const rings = [];
        let south = 90, west = 180, north = -90, east = -180;
        for (const polygon of polygons) {
          for (const ring of polygon) {
            const start = points.length;
            // Indexed, not `for (const [lng, lat] of ring)`: this runs once per page, before
            // the optimiser warms up, where destructuring ~110,000 points costs ~10 ms.
            for (let k = 0; k < ring.length; k++) {
              const lng = ring[k][0], lat = ring[k][1];
              points.push(lng / 360 + 0.5, mercatorY(lat));
              if (lat < south) south = lat;
              if (lat > north) north = lat;
              if (lng < west) west = lng;
              if (lng > east) east = lng;
            }
            rings.push(start, points.length);
          }
        }
        this.ids.push(feature.id);
        this.states.push(feature.properties.state);
        this.names.push(feature.properties.name);
        this.rings.push(rings);
        bounds.push([[south, west], [north, east]]);
      }
      this.world = Float64Array.from(points); // x, y in [0, 1] world units (zoom 0 / 256)
      this.px = new Float32Array(this.world.length);
      this.box = new Float32Array(this.ids.length * 4);
      this.latLngBounds = bounds;
      this.index = {};
      this.ids.forEach((id, i) => (this.index[id] = i));
      this.colours = this.ids.map((id) => colourOf(id));
    },

    recolour() {
      this.colours = this.ids.map((id) => this.colourOf(id));
      this.batches = null;
      if (this._renderer) this._renderer._requestRedraw(this);
    },

    _project() {
      const map = this._map;
      const scale = 256 * Math.pow(2, map.getZoom());
      const origin = map.getPixelOrigin();
      const world = this.world;
      const px = this.px;
      for (let i = 0; i < world.length; i += 2) {
        px[i] = world[i] * scale - origin.x;
        px[i + 1] = world[i + 1] * scale - origin.y;
      }
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      this.rings.forEach((rings, county) => {
        let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
        for (let r = 0; r < rings.length; r += 2) {
          for (let i = rings[r]; i < rings[r + 1]; i += 2) {
            const x = px[i], y = px[i + 1];
            if (x < x0) x0 = x;
            if (x > x1) x1 = x;
            if (y < y0) y0 = y;
            if (y > y1) y1 = y;
          }
        }
        this.box.set([x0, y0, x1, y1], county * 4);
        if (x0 < minX) minX = x0;
        if (y0 < minY) minY = y0;
        if (x1 > maxX) maxX = x1;
        if (y1 > maxY) maxY = y1;
      });
      this._pxBounds = L.bounds([minX, minY], [maxX, maxY]);
      // One SVG path string per county: Path2D parses a string in one call, many times faster
      // than tens of thousands of moveTo/lineTo calls from script. Coordinates are whole tenths
      // of a pixel (drawn at a scale of 1/10): writing integers is about twice as fast as
      // toFixed(1) for the ~110,000 points, with the same precision.
      this.paths = this.rings.map((rings) => {
        let d = "";
        for (let r = 0; r < rings.length; r += 2) {
          const start = rings[r], end = rings[r + 1];
          d += "M" + Math.round(px[start] * TENTHS) + " " + Math.round(px[start + 1] * TENTHS);
          for (let i = start + 2; i < end; i += 2) {
            d += "L" + Math.round(px[i] * TENTHS) + " " + Math.round(px[i + 1] * TENTHS);
          }
          d += "Z";
        }
        return d;
      });
      this.batches = null;
    },

    _update() {
      // Drawing happens in _updatePath, which the canvas renderer calls while it redraws.
    },

    _empty() {
      return this.ids.length === 0;
    },

    // [colour, Path2D of its counties]: rebuilt after projecting or recolouring, reused while
    // panning. The outlines are these same paths stroked, so no second path of every county
    // is parsed.
    _batches() {
      if (!this.batches) {
        const groups = new Map();
        this.colours.forEach((colour, county) => {
          if (!groups.has(colour)) groups.set(colour, []);
          groups.get(colour).push(this.paths[county]);
        });
        this.batches = [...groups].map(([colour, paths]) => [colour, new Path2D(paths.join(""))]);
      }
      return this.batches;
    },

    _updatePath() {
      const renderer = this._renderer;
      if (!renderer._drawing) return;
      const ctx = renderer._ctx;
      const fills = this._batches();
      ctx.save();
      ctx.scale(1 / TENTHS, 1 / TENTHS);
      ctx.globalAlpha = 0.9;
      for (const [colour, path] of fills) {
        ctx.fillStyle = colour;
        ctx.fill(path, this.options.fillRule);
      }
      ctx.globalAlpha = 1;
      ctx.lineWidth = this.options.weight * TENTHS;
      ctx.strokeStyle = "#ffffff";
      for (const [, path] of fills) ctx.stroke(path);
      ctx.restore();
    },

    // The county under a layer point, or -1 (the last drawn wins, as on screen).
    countyAt(point) {
      const { x, y } = point;
      const box = this.box;
      const px = this.px;
      for (let county = this.ids.length - 1; county >= 0; county--) {
        const b = county * 4;
        if (x < box[b] || x > box[b + 2] || y < box[b + 1] || y > box[b + 3]) continue;
        let inside = false;
        const rings = this.rings[county];
        for (let r = 0; r < rings.length; r += 2) {
          const start = rings[r], end = rings[r + 1];
          for (let i = start, j = end - 2; i < end; j = i, i += 2) {
            const xi = px[i], yi = px[i + 1], xj = px[j], yj = px[j + 1];
            if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
          }
        }
        if (inside) return county;
      }
      return -1;
    },

    _containsPoint(point) {
      this.hit = this.countyAt(point);
      return this.hit >= 0;
    },
  });
})();
