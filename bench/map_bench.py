"""Benchmark: our activation map beside a naive Folium page of the same data, in one run.

    apt-get install -y wrk      (optional: without it a small threaded Python client is used)
    .venv/bin/python bench/map_bench.py [--runs 9] [--seconds 10] [--connections 8]
                                        [--as-of 2010-08-31] [--json results.json]
                                        [--naive-shapes source|simplified]

The default naive page embeds the Census shapes as they come (unsimplified), from the `build`
extra: `.venv/bin/pip install -e ".[build]"` first, or pass --naive-shapes simplified.

Starts a throwaway PostgreSQL cluster, migrates it and seeds the demo rollout, then serves the
tracker with gunicorn (2 sync workers, the `tracker serve` settings) from an app that also has
/naive-map: the pattern most Folium tutorials teach, written here and never in the app. It
embeds every county shape with its status in the page, styles each feature with a
style_function and adds a GeoJsonTooltip. (Its CDN links are swapped for our local Leaflet so it
can load at all without a network; that only helps it.)

Measured, all on 127.0.0.1, for both pages where it applies:
- bytes per view, cold (empty browser cache) and warm (second visit), from Chromium's
  transferSize of the document and every sub-resource;
- server time: median time to response headers of --runs x 10 sequential GETs;
- time until >= 3,200 county shapes are drawn in headless Chromium (performance.now() at the
  animation frame after the one where they exist, i.e. once painted), cold and warm, median
  of --runs;
- throughput with 2 workers for /healthz, /map, /api/v1/status and /naive-map (wrk, or the
  Python client), each for --seconds with --connections, Accept-Encoding: gzip;
- the county shapes' gzipped size, and the workers' RSS after serving our map, after a visitor
  plays every month of the rollout, and after the naive page (workers are never replaced).
Prints a JSON result and a Markdown table (docs/performance.md holds a run), then the budgets
of issue 6 this run missed; exits 1 when it missed any.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from support import free_port, wait_until_up, worker_rss_mib  # noqa: E402

from tests.support.chromium import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from tests.support.postgres import throwaway_cluster  # noqa: E402

TRACKER = str(Path(sys.executable).with_name("tracker"))
STYLE = {
    "activated": "#1f5fa8",
    "planned": "#f16913",
    "not_scheduled": "#e3e3e3",
}


# --- the naive page (never part of the app) -------------------------------------------------


def naive_shapes_json() -> str:
    """The county shapes the naive page embeds, as one GeoJSON text.

    "source" (the default when the build extra is installed): the Census shapes as they come,
    unsimplified (bokeh_sampledata's 2009 TIGER/Line set, 12.2 MB), which is what a tutorial
    reader starts from and what the issue's 12.3 MB naive page carried. "simplified": our own
    topology-simplified file, a stricter comparison that gives the naive page our work for free.
    """
    if os.environ.get("TRACKER_BENCH_NAIVE_SHAPES", "source") == "source":
        from bokeh_sampledata.us_counties import records
        from shapely.geometry import mapping

        features = [
            {
                "type": "Feature",
                "id": record["fips"],
                "properties": {"name": record["detailed_name"], "state": record["state"]},
                "geometry": mapping(record["geometry"]),
            }
            for record in records()
        ]
        return json.dumps({"type": "FeatureCollection", "features": features})
    from tracker.maps.geometry import shape_file

    return shape_file("counties").raw.decode()


def naive_app():
    """The tracker app plus /naive-map, the tutorial pattern: every shape inlined, styled per
    feature by a Python style_function, rendered whole by Folium on every request."""
    from flask import request

    from tracker import create_app
    from tracker.assets import vendor_url
    from tracker.dates import parse_iso_date, today
    from tracker.maps.folium_import import folium  # the same Folium the app loads (no pandas)
    from tracker.status.rule import status_as_of

    app = create_app()
    # Loaded on the naive page's first request, not at start-up, so that the workers' memory
    # measured after serving our map does not include the naive page's shapes and libraries.
    source: list[str] = []

    @app.get("/naive-map")
    def naive_map():
        as_of = parse_iso_date(request.args.get("as_of"), "as_of", default=today())
        rows = {row.fips: row for row in status_as_of(as_of, public=True)}
        if not source:
            source.append(naive_shapes_json())
        shapes = json.loads(source[0])
        for feature in shapes["features"]:
            row = rows[feature["id"]]
            day = row.activated_on or row.scheduled_on
            feature["properties"].update(
                status=row.status.value, date=day.isoformat() if day else ""
            )
        fmap = folium.Map(location=[38.5, -96.5], zoom_start=4, tiles=None)
        fmap.default_js = [("leaflet", vendor_url("leaflet", "leaflet.js"))]
        fmap.default_css = [("leaflet_css", vendor_url("leaflet", "leaflet.css"))]
        folium.GeoJson(
            shapes,
            style_function=lambda f: {
                "fillColor": STYLE[f["properties"]["status"]],
                "color": "#ffffff",
                "weight": 0.5,
                "fillOpacity": 0.9,
            },
            tooltip=folium.GeoJsonTooltip(fields=["name", "state", "status", "date"]),
        ).add_to(fmap)
        response = app.make_response(fmap.get_root().render())
        # Folium's page has inline scripts without our nonce: let it run, for the comparison.
        response.headers["Content-Security-Policy"] = "default-src 'self' 'unsafe-inline'"
        return response

    return app


def serve(port: int) -> None:
    """Run gunicorn with `tracker serve`'s settings on the app above (a child process)."""
    from tracker.serve import TrackerServer, server_options

    # Workers are never replaced, so the memory measured is the memory of the workers that
    # served the map; the naive page may take minutes under wrk, hence the longer timeout.
    options = server_options("127.0.0.1", port, workers=2, max_requests=0)
    TrackerServer({**options, "timeout": 120, "accesslog": None}, naive_app).run()


# --- measuring -------------------------------------------------------------------------------


def server_time_ms(url: str, runs: int) -> float:
    """Median time to response headers of sequential GETs (after one warm-up request)."""
    session = requests.Session()
    session.get(url, timeout=120).raise_for_status()
    times = []
    for _ in range(runs):
        response = session.get(url, timeout=120, headers={"Accept-Encoding": "gzip"})
        response.raise_for_status()
        times.append(response.elapsed.total_seconds() * 1000)
    return round(statistics.median(times), 2)


def throughput(url: str, seconds: int, connections: int) -> float:
    """Requests per second over `seconds` with `connections` concurrent clients."""
    if shutil.which("wrk"):
        output = subprocess.run(
            ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "60s",
             "-H", "Accept-Encoding: gzip", url],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        if re.search(r"Non-2xx or 3xx responses: (\d+)", output):
            raise RuntimeError(f"errors while loading {url}:\n{output}")
        return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    deadline = time.monotonic() + seconds
    done = [0]
    lock = threading.Lock()

    def client() -> None:
        session = requests.Session()
        while time.monotonic() < deadline:
            session.get(url, timeout=120, headers={"Accept-Encoding": "gzip"}).raise_for_status()
            with lock:
                done[0] += 1

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(connections) as pool:
        for future in [pool.submit(client) for _ in range(connections)]:
            future.result()
    return round(done[0] / (time.monotonic() - start), 1)


# Both pages are timed the same way: a requestAnimationFrame loop in the page notices the frame
# where >= 3,200 shapes exist (ours: drawn on the canvas; naive: SVG paths in the DOM) and reports
# performance.now() at the next frame, i.e. after that frame has been painted.
DRAWN_AT = """kind => new Promise(resolve => {
    const ready = kind === "ours"
        ? () => { const el = document.querySelector("[data-features-drawn]");
                  return el && Number(el.dataset.featuresDrawn) >= 3200; }
        : () => document.querySelectorAll("path.leaflet-interactive").length >= 3200;
    const tick = () => ready()
        ? requestAnimationFrame(() => resolve(performance.now()))
        : requestAnimationFrame(tick);
    tick();
})"""
TRANSFERRED = (
    "() => performance.getEntriesByType('navigation')[0].transferSize + performance"
    ".getEntriesByType('resource').reduce((sum, r) => sum + r.transferSize, 0)"
)


def browser_views(base: str, paths: dict[str, str], runs: int) -> dict:
    """{name: {cold_ms, warm_ms, cold_bytes, warm_bytes}} medians over `runs` fresh contexts."""
    from playwright.sync_api import sync_playwright

    results: dict = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for name, path in paths.items():
            samples: dict[str, list[float]] = {
                "cold_ms": [],
                "warm_ms": [],
                "cold_bytes": [],
                "warm_bytes": [],
            }
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                for visit in ("cold", "warm"):
                    page.goto(base + path, wait_until="commit", timeout=120_000)
                    samples[f"{visit}_ms"].append(page.evaluate(DRAWN_AT, name))
                    page.wait_for_load_state("load")
                    page.wait_for_timeout(300)  # late requests (state outlines) count too
                    samples[f"{visit}_bytes"].append(page.evaluate(TRANSFERRED))
                context.close()
            results[name] = {key: round(statistics.median(v), 1) for key, v in samples.items()}
            # Every sample too: the spread says how far one median can be trusted.
            results[name]["cold_samples_ms"] = [round(v) for v in samples["cold_ms"]]
            results[name]["warm_samples_ms"] = [round(v) for v in samples["warm_ms"]]
        browser.close()
    return results


def run(args) -> dict:
    from tracker.maps.geometry import shape_file

    as_of = args.as_of
    with throwaway_cluster(("tracker_map_bench",)) as urls, tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "TRACKER_ENV": "production",
            "TRACKER_SECRET_KEY": "map-bench-secret-not-for-production",
            "TRACKER_DATABASE_URL": urls["tracker_map_bench"],
            "TRACKER_INSTANCE_PATH": tmp,
            "PYTHONPATH": str(ROOT),
            "TRACKER_BENCH_NAIVE_SHAPES": args.naive_shapes,
        }
        subprocess.run([TRACKER, "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run([TRACKER, "seed", "--demo"], env=env, check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        ours = f"/map?as_of={as_of}"
        naive = f"/naive-map?as_of={as_of}"
        status = f"/api/v1/status?as_of={as_of}"
        try:
            wait_until_up(base, timeout=90)
            for _ in range(4):  # both workers have built and cached every page
                for path in (ours, status, "/healthz"):
                    requests.get(base + path, timeout=60).raise_for_status()
            result: dict = {"as_of": as_of}
            result["server_ms"] = {
                "healthz": server_time_ms(base + "/healthz", args.runs * 10),
                "ours": server_time_ms(base + ours, args.runs * 10),
                "status": server_time_ms(base + status, args.runs * 10),
            }
            result["rps"] = {
                "healthz": throughput(base + "/healthz", args.seconds, args.connections),
                "ours": throughput(base + ours, args.seconds, args.connections),
                "status": throughput(base + status, args.seconds, args.connections),
            }
            result["browser"] = browser_views(base, {"ours": ours}, args.runs)
            result["rss_after_ours_mib"] = worker_rss_mib(server.pid)
            # A visitor pressing Play: the status of every month of the rollout, twice so both
            # workers see each date; the per-date caches must not grow a worker without bound.
            month = dt.date(2008, 9, 30)
            while month <= dt.date(2013, 6, 30):
                for _ in range(2):
                    requests.get(
                        f"{base}/api/v1/status?as_of={month}", timeout=60
                    ).raise_for_status()
                month = (month + dt.timedelta(days=32)).replace(day=1)
                month = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            result["rss_after_rollout_mib"] = worker_rss_mib(server.pid)
            # Now the naive page, in the same server and run.
            result["server_ms"]["naive"] = server_time_ms(base + naive, max(5, args.runs))
            result["rps"]["naive"] = throughput(base + naive, args.seconds, args.connections)
            result["browser"].update(browser_views(base, {"naive": naive}, args.runs))
            result["rss_after_naive_mib"] = worker_rss_mib(server.pid)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    result["naive_shapes"] = args.naive_shapes
    result["shapes_gzip_bytes"] = len(shape_file("counties").gzipped)
    result["shapes_raw_bytes"] = len(shape_file("counties").raw)
    return result


def over_budget(r: dict) -> list[str]:
    """The issue's budgets this run missed, in words (empty when all are met)."""
    ours, naive = r["browser"]["ours"], r["browser"]["naive"]
    checks = {
        "counties drawn cold ≤ 600 ms": ours["cold_ms"] <= 600,
        "counties drawn warm ≤ 350 ms": ours["warm_ms"] <= 350,
        "drawn ≥ 5× faster than naive, cold": naive["cold_ms"] >= 5 * ours["cold_ms"],
        "drawn ≥ 5× faster than naive, warm": naive["warm_ms"] >= 5 * ours["warm_ms"],
        "map page server time ≤ 10 ms": r["server_ms"]["ours"] <= 10,
        "map page ≥ 10 % of /healthz throughput": r["rps"]["ours"] >= 0.10 * r["rps"]["healthz"],
        "status JSON ≥ 25 % of /healthz throughput": (
            r["rps"]["status"] >= 0.25 * r["rps"]["healthz"]
        ),
        "shapes ≤ 500 kB gzipped": r["shapes_gzip_bytes"] <= 500_000,
        "worker RSS after serving the map ≤ 130 MiB": max(r["rss_after_ours_mib"].values()) <= 130,
        "worker RSS after playing the rollout ≤ 130 MiB": (
            max(r["rss_after_rollout_mib"].values()) <= 130
        ),
    }
    return [name for name, met in checks.items() if not met]


def markdown(r: dict) -> str:
    ours, naive = r["browser"]["ours"], r["browser"]["naive"]
    rps = r["rps"]

    def ratio(a: float, b: float) -> str:
        return f"{a / b:.1f}×" if b else "n/a"

    def spread(samples: list[int]) -> str:
        return ", ".join(str(v) for v in sorted(samples))

    lines = [
        f"Date shown: {r['as_of']}; the naive page embeds the {r['naive_shapes']} shapes.",
        "",
        "| measure | ours | naive Folium | ratio (naive / ours) | budget |",
        "|---|---:|---:|---:|---|",
        f"| bytes per view, cold | {ours['cold_bytes']:,.0f} | {naive['cold_bytes']:,.0f} | "
        f"{ratio(naive['cold_bytes'], ours['cold_bytes'])} | |",
        f"| bytes per view, warm | {ours['warm_bytes']:,.0f} | {naive['warm_bytes']:,.0f} | "
        f"{ratio(naive['warm_bytes'], ours['warm_bytes'])} | |",
        f"| server time, median ms | {r['server_ms']['ours']} | {r['server_ms']['naive']} | "
        f"{ratio(r['server_ms']['naive'], r['server_ms']['ours'])} | ≤ 10 ms |",
        f"| counties drawn, cold, median ms | {ours['cold_ms']} | {naive['cold_ms']} | "
        f"{ratio(naive['cold_ms'], ours['cold_ms'])} | ≤ 600 ms and ≥ 5× faster |",
        f"| counties drawn, warm, median ms | {ours['warm_ms']} | {naive['warm_ms']} | "
        f"{ratio(naive['warm_ms'], ours['warm_ms'])} | ≤ 350 ms |",
        f"| counties drawn, cold, every sample ms | {spread(ours['cold_samples_ms'])} | "
        f"{spread(naive['cold_samples_ms'])} | | |",
        f"| throughput, req/s (2 workers) | {rps['ours']} | {rps['naive']} | "
        f"{ratio(rps['ours'], rps['naive'])} (ours / naive) | |",
        f"| throughput / /healthz ({rps['healthz']} req/s) | {rps['ours'] / rps['healthz']:.0%} | "
        f"{rps['naive'] / rps['healthz']:.1%} | | ≥ 10% |",
        f"| /api/v1/status throughput / /healthz | {rps['status'] / rps['healthz']:.0%} "
        f"({rps['status']} req/s) | | | ≥ 25% |",
        f"| /api/v1/status server time, median ms | {r['server_ms']['status']} | | | |",
        f"| county shapes, gzipped | {r['shapes_gzip_bytes']:,} B (raw "
        f"{r['shapes_raw_bytes']:,} B) | embedded in every page | | ≤ 500 kB |",
        f"| worker RSS after serving, MiB | {max(r['rss_after_ours_mib'].values())} | "
        f"{max(r['rss_after_naive_mib'].values())} (after the naive page too) | | ≤ 130 MiB |",
        f"| worker RSS after playing every month of the rollout, MiB | "
        f"{max(r['rss_after_rollout_mib'].values())} | | | |",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--as-of", default="2010-08-31")
    parser.add_argument("--json", help="also write the result to this file")
    parser.add_argument(
        "--naive-shapes",
        choices=("source", "simplified"),
        default="source",
        help="what the naive page embeds: the unsimplified Census shapes (needs the build "
        'extra: pip install -e ".[build]") or our simplified file',
    )
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    result = run(args)
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    print()
    print(markdown(result))
    missed = over_budget(result)
    print("\nOver budget: " + "; ".join(missed) if missed else "\nAll budgets met.")
    if missed:
        sys.exit(1)


if __name__ == "__main__":
    main()
