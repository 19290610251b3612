/* The activation map in the browser.
 *
 * Folium renders the Leaflet map and calls TrackerMap.attach(map, config). This script fetches
 * the county shapes once (a versioned, cacheable file) and the compact status of the chosen
 * date from /api/v1/status, styles every county by status, and recolours them, the legend, the
 * summary and the table when the date changes: no page reload, no shapes in the HTML.
 * Text from the data only ever reaches the page through textContent.
 */
(function () {
  "use strict";

  const MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
  ];
  const DAY = 86400000;
  const PLAY_STEP_MS = 700;

  function pad(n) {
    return String(n).padStart(2, "0");
  }
  function longDate(iso) {
    const [y, m, d] = iso.split("-").map(Number);
    return d + " " + MONTHS[m - 1] + " " + y;
  }
  function validIso(value) {
    return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
  }
  function daysBetween(fromIso, toIso) {
    return Math.round((Date.parse(toIso) - Date.parse(fromIso)) / DAY);
  }
  function count(n) {
    // "3,233". Not toLocaleString: its first call loads the ICU number data, about 20 ms of a
    // cold page.
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }
  function monthEnd(year, month) {
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return year + "-" + pad(month) + "-" + pad(last);
  }

  // The data-prefetch attribute of the element that loads this file names the shapes and the
  // first status. This file is loaded first in <head>, before any stylesheet, so they are
  // fetched and parsed while the CSS and Leaflet load (it touches no Leaflet until attach()).
  performance.mark("tracker-map-js");
  const PREFETCHED = {};
  const self = document.currentScript;
  if (self && self.dataset.prefetch) {
    for (const url of self.dataset.prefetch.split(" ")) {
      if (url) PREFETCHED[url] = fetchJson(url);
    }
  }

  function fetchJson(url) {
    if (PREFETCHED[url]) {
      const pending = PREFETCHED[url];
      delete PREFETCHED[url];
      return pending;
    }
    return fetch(url, { credentials: "same-origin", priority: "high" }).then(
      (response) => {
        if (!response.ok) throw new Error("HTTP " + response.status + " for " + url);
        return response.json();
      },
    );
  }


  const STATUS_WORDS = {
    a: "Activated",
    p: "Planned",
    n: "Not scheduled",
    d: "Deferral pending",
    r: "Removed from plan",
  };

  class MapController {
    constructor(map, config) {
      this.map = map;
      this.config = config;
      this.container = map.getContainer();
      this.root = this.container.closest("[data-map-root]") || document.body;
      this.styles = {};
      for (const item of config.legend) this.styles[item.key] = item;
      this.stateOf = {};
      this.statuses = {};
      this.names = {};
      this.stateNames = {};
      this.asOf = config.asOf;
      this.drawnAsOf = null;
      this.sequence = 0;
      this.playing = false;
      this.tooltip = L.tooltip({ direction: "top", sticky: true, className: "map-tooltip", opacity: 0.97 });
      this.loading = this.root.querySelector("[data-map-loading]");
      this.moving = false;
      this.pendingView = null;
      map.on("movestart", () => (this.moving = true));
      map.on("moveend", () => {
        this.moving = false;
        const pending = this.pendingView;
        this.pendingView = null;
        if (pending) this.showView(...pending);
      });
      this.bindViews();
      if (!config.compact) this.bindControls();
      // Not animated: the first view must be settled before the counties are drawn.
      if (!config.state) map.fitBounds(config.views.lower48, { animate: false });
      this.start();
    }

    // --- loading -------------------------------------------------------------------------

    shapes(name) {
      if (this.config.inlineShapes) {
        const element = document.getElementById(this.config.inlineShapes[name]);
        return Promise.resolve(JSON.parse(element.textContent));
      }
      return this.fetchJson(this.config.shapesUrls[name]);
    }

    status(asOf, withNames) {
      const inline = this.config.inlineStatus;
      if (inline && inline.as_of === asOf) return Promise.resolve(inline);
      if (!this.config.statusUrl) return Promise.reject(new Error("no status for " + asOf));
      if (withNames && this.config.initialStatusUrl) return this.fetchJson(this.config.initialStatusUrl);
      const query = new URLSearchParams({ as_of: asOf });
      if (this.config.knownAt) query.set("known_at", this.config.knownAt);
      if (withNames) query.set("names", "1");
      return this.fetchJson(this.config.statusUrl + "?" + query.toString());
    }

    fetchJson(url) {
      return fetchJson(url);
    }

    say(message) {
      if (!this.loading) return;
      this.loading.textContent = message;
      this.loading.hidden = !message;
    }

    start() {
      const counties = this.shapes("counties");
      Promise.all([counties, this.status(this.asOf, true)])
        .then(([shapes, document_]) => {
          performance.mark("tracker-data-loaded");
          this.applyDocument(document_);
          this.draw(shapes);
          return this.shapes("states");
        })
        .then((states) => this.drawOutlines(states))
        .catch((error) => this.say("The map could not be loaded: " + error.message));
    }

    applyDocument(doc) {
      this.statuses = doc.statuses;
      if (doc.names) this.names = doc.names;
      if (doc.state_names) this.stateNames = doc.state_names;
      this.asOf = doc.as_of;
      // The sentence beside the map comes from the server (tracker.status.headline).
      this.headline = doc.headline;
    }

    // --- drawing -------------------------------------------------------------------------

    category(fips) {
      const entry = this.statuses[fips] || ["n"];
      switch (entry[0]) {
        case "a":
          return "activated";
        case "d":
          return "deferral_pending";
        case "r":
          return "removed";
        case "p":
          return this.band(entry[1]);
        default:
          return "not_scheduled";
      }
    }

    band(scheduledOn) {
      if (!scheduledOn) return "planned_later";
      const days = daysBetween(this.asOf, scheduledOn);
      if (days < 0) return "planned_past_due";
      for (const [key, limit] of this.config.bands.slice(1)) {
        if (limit === null || days <= limit) return key;
      }
      return "planned_later";
    }

    styleFor(fips) {
      const style = this.styles[this.category(fips)] || this.styles.not_scheduled;
      return { fillColor: style.color, fillOpacity: 0.9, color: "#ffffff", weight: 0.5, opacity: 1 };
    }

    draw(shapes) {
      const layer = new window.TrackerCountyLayer(shapes, (fips) => this.styleFor(fips).fillColor);
      this.countyLayer = layer;
      layer.ids.forEach((fips, i) => (this.stateOf[fips] = layer.states[i]));
      layer.on("mouseover mousemove", (event) => this.showTooltip(layer.hit, event.latlng));
      layer.on("mouseout", () => this.hideTooltip());
      layer.on("click", () => layer.hit >= 0 && this.open(layer.ids[layer.hit]));
      layer.addTo(this.map);
      this.afterPaint(() => {
        this.container.dataset.featuresDrawn = String(layer.ids.length);
        performance.mark("tracker-counties-drawn");
        this.say("");
        this.markDrawn();
        if (this.config.state) this.zoomToState(this.config.state, false);
      });
      this.refreshText();
    }

    drawOutlines(states) {
      this.outlines = L.geoJSON(states, {
        interactive: false,
        style: () => ({ color: "#1b1b1b", weight: 1.1, fill: false, opacity: 0.9 }),
      }).addTo(this.map);
    }

    afterPaint(callback) {
      // The canvas renderer redraws on the next animation frame; ours runs after it.
      requestAnimationFrame(() => callback());
    }

    markDrawn() {
      this.drawnAsOf = this.asOf;
      this.container.dataset.asOf = this.asOf;
    }

    recolour() {
      this.countyLayer.recolour();
      this.refreshText();
      this.afterPaint(() => this.markDrawn());
    }

    // --- reading one county ----------------------------------------------------------------

    describe(fips) {
      const entry = this.statuses[fips] || ["n"];
      const code = entry[0];
      const date = entry[1];
      let text = STATUS_WORDS[code] || STATUS_WORDS.n;
      if (code === "a" && date) text += " on " + longDate(date);
      if ((code === "p" || code === "d") && date) {
        const days = daysBetween(this.asOf, date);
        text += (code === "d" ? "; scheduled for " : " for ") + longDate(date);
        text += days < 0 ? " (date passed, not yet activated)" : days === 0 ? " (today)" : " (in " + count(days) + (days === 1 ? " day)" : " days)");
      }
      const layer = this.countyLayer;
      const county = layer ? layer.index[fips] : undefined;
      const postal = this.stateOf[fips] || "";
      const name = this.names[fips] || (county !== undefined ? layer.names[county] : fips);
      return {
        fips: fips,
        code: code,
        category: this.category(fips),
        fillColor: county !== undefined ? layer.colours[county] : null,
        name: name,
        state: this.stateNames[postal] || postal,
        text: text,
      };
    }

    tooltipContent(fips) {
      const facts = this.describe(fips);
      const box = document.createElement("div");
      const title = document.createElement("strong");
      title.textContent = facts.name + ", " + facts.state;
      const line = document.createElement("span");
      line.textContent = facts.text;
      box.append(title, line);
      return box;
    }

    showTooltip(county, latlng) {
      if (county === undefined || county < 0) {
        this.hideTooltip();
        return;
      }
      const fips = this.countyLayer.ids[county];
      if (this.tooltipFips !== fips || !this.map.hasLayer(this.tooltip)) {
        this.tooltipFips = fips;
        this.tooltip.setContent(this.tooltipContent(fips));
      }
      this.tooltip.setLatLng(latlng);
      if (!this.map.hasLayer(this.tooltip)) this.map.openTooltip(this.tooltip);
    }

    hideTooltip() {
      this.tooltipFips = null;
      this.map.closeTooltip(this.tooltip);
    }

    // A point well inside the county (its neighbours 2 px away are inside too), in page
    // (client) coordinates, or null when none is in view.
    screenPoint(fips) {
      const layer = this.countyLayer;
      const county = layer.index[fips];
      const b = county * 4;
      const box = this.container.getBoundingClientRect();
      const origin = this.map.containerPointToLayerPoint([0, 0]);
      const steps = 16;
      const inside = (x, y) => layer.countyAt({ x: x, y: y }) === county;
      let fallback = null;
      for (let row = 1; row < steps; row++) {
        for (let col = 1; col < steps; col++) {
          const x = layer.box[b] + ((layer.box[b + 2] - layer.box[b]) * col) / steps;
          const y = layer.box[b + 1] + ((layer.box[b + 3] - layer.box[b + 1]) * row) / steps;
          if (!inside(x, y)) continue;
          const point = { x: box.left + x - origin.x, y: box.top + y - origin.y };
          if (inside(x - 2, y) && inside(x + 2, y) && inside(x, y - 2) && inside(x, y + 2)) {
            return point;
          }
          fallback = fallback || point;
        }
      }
      return fallback;
    }

    linkFor(fips) {
      if (this.config.countyUrl) return this.config.countyUrl.replace("{fips}", fips);
      const lists = this.config.publicListUrls || {};
      const code = (this.statuses[fips] || ["n"])[0];
      const base = code === "p" ? lists.planned : lists.activated;
      if (!base) return null;
      const query = new URLSearchParams({ as_of: this.asOf, state: this.stateOf[fips] || "" });
      if (this.config.knownAt) query.set("known_at", this.config.knownAt);
      return base + "?" + query.toString() + "#fips-" + fips;
    }

    open(fips) {
      const url = this.linkFor(fips);
      if (url) window.location.assign(url);
    }

    // --- the text around the map ----------------------------------------------------------

    tally() {
      const legend = {};
      const byState = {};
      const all = {};
      const codeStatus = { a: "activated", p: "planned", n: "not_scheduled", d: "deferral_pending", r: "removed" };
      for (const fips of this.countyLayer ? this.countyLayer.ids : []) {
        const entry = this.statuses[fips] || ["n"];
        const status = codeStatus[entry[0]] || "not_scheduled";
        const key = this.category(fips);
        legend[key] = (legend[key] || 0) + 1;
        const postal = this.stateOf[fips];
        byState[postal + ":" + status] = (byState[postal + ":" + status] || 0) + 1;
        byState[postal + ":total"] = (byState[postal + ":total"] || 0) + 1;
        all["all:" + status] = (all["all:" + status] || 0) + 1;
      }
      return { legend, byState, all };
    }

    refreshText() {
      const t = this.tally();
      for (const element of this.root.querySelectorAll("[data-legend-count]")) {
        element.textContent = count(t.legend[element.dataset.legendCount] || 0);
      }
      if (this.config.compact) return;
      const summary = document.querySelector("[data-map-summary]");
      if (summary) summary.textContent = this.headline;
      for (const cell of document.querySelectorAll("[data-count]")) {
        const key = cell.dataset.count;
        cell.textContent = count((key.startsWith("all:") ? t.all[key] : t.byState[key]) || 0);
      }
      const caption = document.querySelector("[data-map-caption-date]");
      if (caption) caption.textContent = longDate(this.asOf);
      for (const link of document.querySelectorAll("[data-as-of-link], [data-map-download]")) {
        const url = new URL(link.getAttribute("href"), window.location.href);
        url.searchParams.set("as_of", this.asOf);
        if (link.hasAttribute("data-map-download")) this.setState(url.searchParams, this.selectedState());
        link.setAttribute("href", url.pathname + url.search + url.hash);
      }
    }

    // --- views and controls ---------------------------------------------------------------

    bindViews() {
      for (const button of this.root.querySelectorAll("[data-map-view]")) {
        button.addEventListener("click", () => {
          const bounds = this.config.views[button.dataset.mapView];
          if (bounds) this.showView(bounds);
        });
      }
    }

    showView(bounds, options = {}) {
      // Leaflet drops a view asked for while a zoom animation runs (about a quarter of a
      // second), so a quick second choice (a state, then "Lower 48") would be lost. The
      // latest choice waits for the running move to end instead.
      if (this.moving) {
        this.pendingView = [bounds, options];
        return;
      }
      this.map.fitBounds(bounds, options);
    }

    zoomToState(postal, animate = true) {
      // Alaska's Aleutians cross the antimeridian and Hawaii's county reaches the far
      // north-western islands: their preset views frame them better than their bounds.
      const preset = { "": "lower48", AK: "alaska", HI: "hawaii" }[postal || ""];
      if (preset) {
        this.showView(this.config.views[preset], { animate: animate });
        return;
      }
      let bounds = null;
      const layer = this.countyLayer;
      layer.states.forEach((state, county) => {
        if (state !== postal) return;
        bounds = bounds ? bounds.extend(layer.latLngBounds[county]) : L.latLngBounds(layer.latLngBounds[county]);
      });
      if (bounds) this.showView(bounds, { padding: [12, 12], animate: animate });
    }

    setState(params, postal) {
      if (postal) params.set("state", postal);
      else params.delete("state");
    }

    selectedState() {
      return this.stateSelect ? this.stateSelect.value : this.config.state || "";
    }

    bindControls() {
      const form = document.querySelector("[data-map-controls]");
      if (!form) return;
      this.form = form;
      this.dateInput = form.querySelector("input[type=date]");
      this.stateSelect = form.querySelector("select");
      this.slider = form.querySelector("input[type=range]");
      this.monthLabel = form.querySelector("[data-map-month-label]");
      this.playButton = form.querySelector("[data-map-play]");
      const [firstYear, firstMonth] = form.dataset.firstMonth.split("-").map(Number);
      this.firstMonth = { year: firstYear, month: firstMonth };

      form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.setDate(this.dateInput.value);
        this.zoomToState(this.selectedState());
      });
      this.dateInput.addEventListener("change", () => {
        if (validIso(this.dateInput.value)) this.setDate(this.dateInput.value);
      });
      this.stateSelect.addEventListener("change", () => {
        this.zoomToState(this.selectedState());
        this.updateUrl();
      });
      this.slider.addEventListener("input", () => this.setDate(this.sliderDate(Number(this.slider.value))));
      this.playButton.addEventListener("click", () => (this.playing ? this.pause() : this.play()));
    }

    sliderDate(index) {
      const months = this.firstMonth.month - 1 + index;
      return monthEnd(this.firstMonth.year + Math.floor(months / 12), (months % 12) + 1);
    }

    sliderIndex(iso) {
      const [y, m] = iso.split("-").map(Number);
      const index = (y - this.firstMonth.year) * 12 + (m - this.firstMonth.month);
      return Math.max(0, Math.min(Number(this.slider.max), index));
    }

    syncControls() {
      if (!this.form) return;
      this.dateInput.value = this.asOf;
      this.slider.value = String(this.sliderIndex(this.asOf));
      const [y, m] = this.asOf.split("-").map(Number);
      const label = MONTHS[m - 1] + " " + y;
      this.slider.setAttribute("aria-valuetext", label);
      this.monthLabel.textContent = label;
    }

    updateUrl() {
      const params = new URLSearchParams(window.location.search);
      params.set("as_of", this.asOf);
      this.setState(params, this.selectedState());
      window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
      this.refreshText();
    }

    setDate(iso) {
      if (!validIso(iso)) return Promise.resolve();
      const ticket = ++this.sequence;
      this.asOf = iso;
      this.syncControls();
      return this.status(iso, false)
        .then((doc) => {
          if (ticket !== this.sequence) return; // a later date was asked for meanwhile
          this.applyDocument(doc);
          this.recolour();
          this.updateUrl();
          this.say("");
        })
        .catch((error) => this.say("Could not load the status for " + iso + ": " + error.message));
    }

    // While the rollout plays, the summary changes every step: screen readers hear it once
    // the animation pauses, not at every month.
    setLive(on) {
      const summary = document.querySelector("[data-map-summary]");
      if (summary) summary.setAttribute("aria-live", on ? "polite" : "off");
    }

    play() {
      this.playing = true;
      this.setLive(false);
      this.playButton.textContent = "Pause";
      if (Number(this.slider.value) >= Number(this.slider.max)) this.slider.value = "0";
      const step = () => {
        if (!this.playing) return;
        const next = Number(this.slider.value) + 1;
        if (next > Number(this.slider.max)) {
          this.pause();
          return;
        }
        this.setDate(this.sliderDate(next)).then(() => {
          if (this.playing) this.timer = window.setTimeout(step, PLAY_STEP_MS);
        });
      };
      this.setDate(this.sliderDate(Number(this.slider.value))).then(() => {
        this.timer = window.setTimeout(step, PLAY_STEP_MS);
      });
    }

    pause() {
      this.playing = false;
      this.setLive(true);
      window.clearTimeout(this.timer);
      this.playButton.textContent = "Play";
    }
  }

  window.TrackerMap = {
    controllers: [],
    attach(map, config) {
      performance.mark("tracker-attach");
      const controller = new MapController(map, config);
      this.controllers.push(controller);
      window.trackerMap = controller;
      return controller;
    },
  };
})();
